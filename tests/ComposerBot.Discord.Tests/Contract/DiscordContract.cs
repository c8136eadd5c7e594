using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace ComposerBot.Discord.Tests.Contract;

/// <summary>
/// Discord's published OpenAPI description of API v10 (Contract/openapi.json), used as the contract a
/// request is held to: the operation its method and path name, the bot token where the operation asks for
/// one, path and query parameters, and the JSON body (or a multipart request's <c>payload_json</c>) against
/// the operation's schema, with Discord's answers: 401, 404 code 0, 50109 for a body that is not JSON and
/// 50035 Invalid Form Body with Discord's nested <c>errors</c> object. Also builds the smallest response a
/// schema allows (only its required fields), which the stand-in answers with and the model tests read.
/// </summary>
public sealed partial class DiscordContract
{
    private static readonly Lazy<DiscordContract> Loaded = new(() => new DiscordContract(Path.Combine(AppContext.BaseDirectory, "Contract", "openapi.json")));
    private static readonly Uri DocumentUri = new("https://discord.com/api/v10/openapi.json");
    private readonly JsonDocument _document;
    private readonly BuildOptions _build;
    private readonly Lock _buildLock = new();
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();
    private readonly IReadOnlyList<PathTemplate> _paths;

    private DiscordContract(string file)
    {
        _document = JsonDocument.Parse(File.ReadAllBytes(file));
        var registry = new SchemaRegistry();
        registry.Register(DocumentUri, new JsonElementBaseDocument(_document.RootElement, DocumentUri));
        // OpenAPI 3.1 schemas are JSON Schema 2020-12 with extension keywords (x-discord-union...), which are annotations.
        _build = new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012.With([], allowUnknownKeywords: true) };
        _paths = [.. _document.RootElement.GetProperty("paths").EnumerateObject().Select(p => PathTemplate.Of(p.Name))];
    }

    /// <summary>The contract, read once per test run (it is immutable once built).</summary>
    public static DiscordContract Shared => Loaded.Value;

    public JsonElement Root => _document.RootElement;

    /// <summary>The operation a request names, or null where the spec has no such route and method.</summary>
    public ContractOperation? Find(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        var match = _paths
            .Where(t => t.Matches(segments))
            .OrderByDescending(t => t.Literals)
            .FirstOrDefault(t => Root.GetProperty("paths").GetProperty(t.Template).TryGetProperty(method.ToLowerInvariant(), out _));
        if (match is null)
        {
            return null;
        }

        var item = Root.GetProperty("paths").GetProperty(match.Template);
        var values = match.Names.Select((name, i) => (name, i)).Where(p => p.name is not null).ToDictionary(p => p.name!, p => Uri.UnescapeDataString(segments[p.i]));
        return new ContractOperation(match.Template, method.ToLowerInvariant(), item, item.GetProperty(method.ToLowerInvariant()), values);
    }

    /// <summary>Discord's refusal of a request, or null when the contract accepts it.</summary>
    public ContractRefusal? Check(ContractOperation operation, ContractRequest request)
    {
        if (operation.NeedsBotToken && request.Authorization != request.ExpectedAuthorization)
        {
            return new ContractRefusal(401, """{"message":"401: Unauthorized","code":0}""", "no valid bot token");
        }

        var errors = new List<FieldError>();
        foreach (var parameter in operation.Parameters)
        {
            var name = parameter.GetProperty("name").GetString()!;
            var where = parameter.GetProperty("in").GetString();
            string? value = where switch
            {
                "path" => operation.PathValues.GetValueOrDefault(name),
                "query" => request.Query.GetValueOrDefault(name),
                _ => null,
            };
            if (value is not null && parameter.TryGetProperty("schema", out var schema))
            {
                errors.AddRange(Evaluate(schema, ParameterValue(value, Resolve(schema)), [name]));
            }
        }

        if (errors.Count == 0 && operation.Operation.TryGetProperty("requestBody", out var body))
        {
            var refusal = CheckBody(body, request, errors);
            if (refusal is not null)
            {
                return refusal;
            }
        }

        return errors.Count == 0 ? null : InvalidFormBody(errors);
    }

    private ContractRefusal? CheckBody(JsonElement requestBody, ContractRequest request, List<FieldError> errors)
    {
        var content = requestBody.GetProperty("content");
        var multipart = request.ContentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        var json = multipart ? request.PayloadJson ?? "{}" : request.Body;
        if (!content.TryGetProperty("application/json", out var jsonContent) || (multipart && !content.TryGetProperty("multipart/form-data", out _)))
        {
            return new ContractRefusal(400, """{"message":"Cannot send an empty message","code":50006}""", $"{request.ContentType} is not a body this route takes");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return new ContractRefusal(400, """{"message":"The request body contains invalid JSON.","code":50109}""", "the body is not JSON");
        }

        using (document)
        {
            errors.AddRange(Evaluate(jsonContent.GetProperty("schema"), document.RootElement, []));
            if (errors.Count == 0)
            {
                errors.AddRange(CheckAttachments(document.RootElement, request.FileFields));
            }
        }

        return null;
    }

    /// <summary>
    /// Files arrive as parts named <c>files[n]</c>, at most 10; an attachment whose id is an upload index
    /// (not the snowflake of a file already posted) must name one of them.
    /// </summary>
    private static IEnumerable<FieldError> CheckAttachments(JsonElement body, IReadOnlyList<string> fileFields)
    {
        var indexes = new HashSet<string>();
        foreach (var field in fileFields)
        {
            if (FilePart().Match(field) is { Success: true } m && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) < 10)
            {
                indexes.Add(m.Groups[1].Value);
            }
            else
            {
                yield return new FieldError([field], "BASE_TYPE_INVALID", $"\"{field}\" is not a file part Discord reads (files[0] to files[9]).");
            }
        }

        var attachments = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("attachments", out var a) && a.ValueKind == JsonValueKind.Array ? a : default;
        if (attachments.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        var i = 0;
        foreach (var attachment in attachments.EnumerateArray())
        {
            var id = attachment.TryGetProperty("id", out var idValue) ? idValue.ToString() : "";
            if (id.Length < 4 && !indexes.Contains(id))
            {
                yield return new FieldError(["attachments", i.ToString(CultureInfo.InvariantCulture), "id"], "ATTACHMENT_NOT_FOUND", $"Attachment {id} was not uploaded as files[{id}].");
            }

            i++;
        }
    }

    /// <summary>A query or path value as the JSON its schema describes ("true" as a boolean, "5" as an integer).</summary>
    private static JsonElement ParameterValue(string value, JsonElement schema)
    {
        var types = schema.TryGetProperty("type", out var t) ? (t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).ToArray() : [t.GetString()]) : [];
        var node = types.Contains("boolean") && bool.TryParse(value, out var b) ? JsonValue.Create(b)
            : types.Contains("integer") && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l)
            : (JsonNode)JsonValue.Create(value);
        return JsonSerializer.SerializeToElement(node);
    }

    /// <summary>The schema a local <c>$ref</c> points at (or the schema itself).</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference) && reference.GetString() is { } pointer && pointer.StartsWith("#/", StringComparison.Ordinal))
        {
            schema = Root;
            foreach (var segment in pointer[2..].Split('/'))
            {
                schema = schema.GetProperty(segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            }
        }

        return schema;
    }

    private IReadOnlyList<FieldError> Evaluate(JsonElement schemaElement, JsonElement instance, string[] prefix)
    {
        var schema = SchemaFor(schemaElement);
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        if (results.IsValid)
        {
            return [];
        }

        // The errors of failing nodes only: a branch that failed under a union that passed is no error.
        var leaves = new List<LeafError>();
        void Collect(EvaluationResults node)
        {
            if (node.IsValid)
            {
                return;
            }

            foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
            {
                if (keyword is not ("anyOf" or "oneOf" or "allOf" or "$ref"))
                {
                    leaves.Add(new LeafError(Segments(node.InstanceLocation.ToString()), node.EvaluationPath.ToString(), keyword, message));
                }
            }

            foreach (var child in node.Details ?? [])
            {
                Collect(child);
            }
        }

        Collect(results);
        return [.. WithinChosenBranches(leaves).SelectMany(e => e.Keyword == "required"
            ? QuotedNames().Matches(e.Message).Select(m => new FieldError([.. prefix, .. e.Location, m.Groups[1].Value], "BASE_TYPE_REQUIRED", "This field is required"))
            : [new FieldError([.. prefix, .. e.Location], CodeOf(e.Keyword), e.Message)])];
    }

    /// <summary>
    /// A union (anyOf/oneOf) that nothing matched reports the errors of its closest branch only, as Discord
    /// names what is wrong with the shape you meant (a type 4 response whose content is not text), not why
    /// it is not every other shape.
    /// </summary>
    private static List<LeafError> WithinChosenBranches(List<LeafError> errors, int from = 0)
    {
        var unions = errors
            .Select(e => (Error: e, Match: Union().Match(e.Evaluation, Math.Min(from, e.Evaluation.Length))))
            .Where(x => x.Match.Success)
            .ToList();
        if (unions.Count == 0)
        {
            return errors;
        }

        var first = unions.MinBy(x => x.Match.Index);
        var prefix = first.Error.Evaluation[..first.Match.Index] + $"/{first.Match.Groups[1].Value}/";
        var inside = errors.Where(e => e.Evaluation.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var outside = errors.Except(inside).ToList();
        // The branch that got furthest into the value (its errors deepest), then the one with the fewest errors.
        var best = inside.GroupBy(e => e.Evaluation[prefix.Length..].Split('/')[0])
            .OrderByDescending(g => g.Max(e => e.Location.Length)).ThenBy(g => g.Count()).First();
        return [.. WithinChosenBranches(outside, from), .. WithinChosenBranches([.. best], prefix.Length + best.Key.Length)];
    }

    [GeneratedRegex(@"/(anyOf|oneOf)/(\d+)")]
    private static partial Regex Union();

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedNames();

    [GeneratedRegex(@"^files\[(\d+)\]$")]
    private static partial Regex FilePart();

    private static string[] Segments(string pointer) =>
        pointer.Length == 0 ? [] : [.. pointer.TrimStart('/').Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    /// <summary>Discord's field error code for the rule a value broke (those its documentation shows; the rest named alike).</summary>
    private static string CodeOf(string keyword) => keyword switch
    {
        "required" => "BASE_TYPE_REQUIRED",
        "maxLength" => "BASE_TYPE_MAX_LENGTH",
        "minLength" => "BASE_TYPE_MIN_LENGTH",
        "maxItems" or "minItems" => "BASE_TYPE_BAD_LENGTH",
        "enum" or "const" => "BASE_TYPE_CHOICES",
        "maximum" => "NUMBER_TYPE_MAX",
        "minimum" => "NUMBER_TYPE_MIN",
        "type" => "BASE_TYPE_BAD_TYPE",
        "pattern" or "format" => "BASE_TYPE_BAD_FORMAT",
        "uniqueItems" => "BASE_TYPE_DUPLICATE",
        "additionalProperties" => "BASE_TYPE_UNKNOWN_FIELD",
        _ => "BASE_TYPE_INVALID",
    };

    private JsonSchema SchemaFor(JsonElement schemaElement)
    {
        var key = schemaElement.GetRawText();
        if (_schemas.TryGetValue(key, out var cached))
        {
            return cached;
        }

        lock (_buildLock)
        {
            // The schema is the spec's own text, its local references made absolute into the registered document.
            var text = LocalReference().Replace(key, m => $"\"$ref\":\"{DocumentUri}#/{m.Groups[1].Value}\"");
            var schema = JsonSchema.FromText($$"""{"allOf":[{{text}}]}""", _build);
            return _schemas.GetOrAdd(key, schema);
        }
    }

    [GeneratedRegex("\"\\$ref\"\\s*:\\s*\"#/([^\"]*)\"")]
    private static partial Regex LocalReference();

    private static ContractRefusal InvalidFormBody(IReadOnlyList<FieldError> errors)
    {
        var tree = new JsonObject();
        foreach (var error in errors)
        {
            var node = tree;
            foreach (var segment in error.Location)
            {
                node = node[segment] as JsonObject ?? (JsonObject)(node[segment] = new JsonObject());
            }

            var list = node["_errors"] as JsonArray ?? (JsonArray)(node["_errors"] = new JsonArray());
            list.Add(new JsonObject { ["code"] = error.Code, ["message"] = error.Message });
        }

        var body = new JsonObject { ["message"] = "Invalid Form Body", ["code"] = 50035, ["errors"] = tree };
        return new ContractRefusal(400, body.ToJsonString(), string.Join("; ", errors.Select(e => $"{string.Join('.', e.Location)}: {e.Code} {e.Message}")));
    }

    /// <summary>The smallest value the schema allows: objects with their required fields only, null where allowed.</summary>
    public JsonNode? Minimal(JsonElement schema, int depth = 0)
    {
        schema = Resolve(schema);
        if (depth > 12)
        {
            return null;
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            return JsonNode.Parse(constant.GetRawText());
        }

        if (schema.TryGetProperty("allOf", out var all))
        {
            var merged = new JsonObject();
            foreach (var part in all.EnumerateArray())
            {
                if (Minimal(part, depth + 1) is JsonObject fields)
                {
                    Overlay(merged, fields);
                }
            }

            return merged;
        }

        foreach (var union in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(union, out var branches))
            {
                var options = branches.EnumerateArray().ToList();
                return options.Any(b => IsNull(Resolve(b))) ? null : Minimal(options[0], depth + 1);
            }
        }

        var types = !schema.TryGetProperty("type", out var t) ? ["object"]
            : t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()!).ToArray() : [t.GetString()!];
        if (types.Contains("null"))
        {
            return null;
        }

        if (schema.TryGetProperty("enum", out var choices))
        {
            return JsonNode.Parse(choices[0].GetRawText());
        }

        return types[0] switch
        {
            "object" => MinimalObject(schema, depth),
            "array" => new JsonArray([.. Enumerable.Range(0, schema.TryGetProperty("minItems", out var min) ? min.GetInt32() : 0).Select(_ => Minimal(schema.GetProperty("items"), depth + 1))]),
            "string" => JsonValue.Create(MinimalString(schema)),
            "integer" => JsonValue.Create(schema.TryGetProperty("minimum", out var low) ? low.GetInt64() : 0),
            "number" => JsonValue.Create(schema.TryGetProperty("minimum", out var lowNumber) ? lowNumber.GetDouble() : 0),
            "boolean" => JsonValue.Create(false),
            _ => null,
        };
    }

    /// <summary>Whether the schema lets the value be null (a "null" type, or a null branch of a union).</summary>
    public bool AllowsNull(JsonElement schema)
    {
        schema = Resolve(schema);
        if (schema.TryGetProperty("type", out var t) && (t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Any(x => x.GetString() == "null") : t.GetString() == "null"))
        {
            return true;
        }

        return new[] { "oneOf", "anyOf" }.Any(u => schema.TryGetProperty(u, out var branches) && branches.EnumerateArray().Any(AllowsNull));
    }

    /// <summary>The smallest object the schema allows (<see cref="Minimal"/>) with these fields set.</summary>
    public JsonObject Instance(JsonElement schema, JsonObject values) => Overlay(Minimal(schema) as JsonObject ?? [], values);

    /// <summary>Moves every field of <paramref name="values"/> into <paramref name="target"/>, replacing what is there.</summary>
    private static JsonObject Overlay(JsonObject target, JsonObject values)
    {
        foreach (var (name, value) in values.ToList())
        {
            values.Remove(name);
            target[name] = value;
        }

        return target;
    }

    private static bool IsNull(JsonElement schema) => schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null";

    private JsonObject MinimalObject(JsonElement schema, int depth)
    {
        var result = new JsonObject();
        if (schema.TryGetProperty("required", out var required) && schema.TryGetProperty("properties", out var properties))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                result[name] = properties.TryGetProperty(name, out var property) ? Minimal(property, depth + 1) : null;
            }
        }

        return result;
    }

    private static string MinimalString(JsonElement schema)
    {
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        var text = format switch
        {
            "snowflake" => "1",
            "date-time" => "2026-11-26T00:00:00.000000+00:00",
            "uri" => "https://discord.invalid/",
            _ => "",
        };
        var minLength = schema.TryGetProperty("minLength", out var m) ? m.GetInt32() : 0;
        return text.PadRight(minLength, 'x');
    }

    /// <summary>The success response schema (the first 2xx with a JSON body) of an operation, if it has one.</summary>
    public JsonElement? ResponseSchema(ContractOperation operation) =>
        operation.Operation.GetProperty("responses").EnumerateObject()
            .Where(r => r.Name.StartsWith('2'))
            .Select(r => Resolve(r.Value))
            .Where(r => r.TryGetProperty("content", out var c) && c.TryGetProperty("application/json", out _))
            .Select(r => (JsonElement?)r.GetProperty("content").GetProperty("application/json").GetProperty("schema"))
            .FirstOrDefault();

    /// <summary>Whether a value (a response the stand-in sends, say) is one the schema allows.</summary>
    public IReadOnlyList<string> Violations(JsonElement schema, JsonElement instance) =>
        [.. Evaluate(schema, instance, []).Select(e => $"{string.Join('.', e.Location)}: {e.Code} {e.Message}")];

    /// <summary>A path of the spec split once: its segments, each parameter's name (null for a literal segment).</summary>
    private sealed record PathTemplate(string Template, string[] Parts, string?[] Names, int Literals)
    {
        public static PathTemplate Of(string template)
        {
            var parts = template.Trim('/').Split('/');
            var names = parts.Select(s => s.StartsWith('{') && s.EndsWith('}') ? s[1..^1] : null).ToArray();
            return new PathTemplate(template, parts, names, names.Count(n => n is null));
        }

        public bool Matches(string[] segments) =>
            segments.Length == Names.Length && Parts.Zip(segments, Names).All(x => x.Third is not null ? x.Second.Length > 0 : x.First == x.Second);
    }
}

/// <summary>An operation of the spec and the values its path parameters took.</summary>
public sealed record ContractOperation(string Template, string Method, JsonElement PathItem, JsonElement Operation, IReadOnlyDictionary<string, string> PathValues)
{
    /// <summary>Whether the operation lists no security requirement that a request without a token meets (<c>{}</c>).</summary>
    public bool NeedsBotToken =>
        !Operation.TryGetProperty("security", out var security) || !security.EnumerateArray().Any(s => s.ValueKind == JsonValueKind.Object && !s.EnumerateObject().Any());

    public IEnumerable<JsonElement> Parameters =>
        new[] { PathItem, Operation }.Where(e => e.TryGetProperty("parameters", out _)).SelectMany(e => e.GetProperty("parameters").EnumerateArray());
}

/// <summary>What the contract checks of a request.</summary>
public sealed record ContractRequest(string? Authorization, string ExpectedAuthorization, IReadOnlyDictionary<string, string> Query, string ContentType, string Body)
{
    /// <summary>A multipart request's <c>payload_json</c> part.</summary>
    public string? PayloadJson { get; init; }

    /// <summary>The names of a multipart request's file parts.</summary>
    public IReadOnlyList<string> FileFields { get; init; } = [];
}

/// <summary>Discord's answer to a request the contract refuses, and why in words (for test messages).</summary>
public sealed record ContractRefusal(int Status, string Body, string Reason);

internal sealed record FieldError(string[] Location, string Code, string Message);

internal sealed record LeafError(string[] Location, string Evaluation, string Keyword, string Message);
