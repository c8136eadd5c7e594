using System.Globalization;
using System.Reflection;
using System.Text.Json;
using ComposerBot.Discord.Interactions;
using ComposerBot.Discord.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Discord.Modules;

/// <summary>The module types whose commands, components and modals the bot serves.</summary>
public sealed record InteractionModules(IReadOnlyList<Type> Types);

/// <summary>
/// Runs interactions against the modules, in the manner of Discord.Net's InteractionService: slash commands
/// with their options bound to the method's parameters (strings, numbers, booleans, enums, attachments),
/// autocomplete through the parameter's <see cref="IAutocompleteHandler"/>, components and modals by
/// custom_id pattern. When a handler has not answered shortly before the 3 s deadline, it is deferred for
/// it, so a slow handler never loses the interaction; a handler's failure becomes an ephemeral apology.
/// </summary>
public sealed partial class InteractionService
{
    /// <summary>How long before the 3 s deadline an unanswered interaction is deferred.</summary>
    public static readonly TimeSpan AutoDeferMargin = TimeSpan.FromMilliseconds(700);

    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger<InteractionService> _logger;
    private readonly Dictionary<string, MethodInfo> _commands;
    private readonly ComponentRouter _components;
    private readonly ComponentRouter _modals;

    public InteractionService(IServiceProvider services, InteractionModules modules, TimeProvider time, ILogger<InteractionService> logger)
    {
        _services = services;
        _time = time;
        _logger = logger;
        foreach (var type in modules.Types.Where(t => !t.IsSubclassOf(typeof(InteractionModuleBase))))
        {
            throw new CommandDefinitionException($"{type.Name} is not an InteractionModuleBase.");
        }

        CommandRegistry.Build(modules.Types, CommandScope.Guild); // checks every declaration at start
        _commands = modules.Types.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.GetCustomAttribute<SlashCommandAttribute>() is not null)
            .ToDictionary(m => m.GetCustomAttribute<SlashCommandAttribute>()!.Name);
        _components = new ComponentRouter(modules.Types);
        _modals = new ComponentRouter(modules.Types, m => m.GetCustomAttribute<ModalInteractionAttribute>()?.Pattern);
    }

    /// <summary>Handles one interaction to its end; the first response is guaranteed before the deadline.</summary>
    public async Task ExecuteAsync(InteractionResponder responder, CancellationToken cancellationToken)
    {
        var context = responder.Context;
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var handler = DispatchAsync(responder, cancellationToken);
        var untilDefer = context.AckDeadline - AutoDeferMargin - _time.GetUtcNow();
        if (untilDefer > TimeSpan.Zero)
        {
            await Task.WhenAny(handler, Task.Delay(untilDefer, _time, stopWaiting.Token)).ConfigureAwait(false);
        }

        if (!handler.IsCompleted && !context.IsAcknowledged && context.Interaction.Type != InteractionType.ApplicationCommandAutocomplete)
        {
            try
            {
                await responder.AutoDeferAsync(cancellationToken).ConfigureAwait(false);
                LogAutoDeferred(context.Interaction.Id);
            }
            catch (InteractionExpiredException)
            {
                // The handler answered at the same moment: nothing to do.
            }
        }

        await stopWaiting.CancelAsync().ConfigureAwait(false);
        try
        {
            await handler.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A user's mistake (a stale button, a command this bot no longer has) is not an error of ours.
            if (ex is InteractionInputException)
            {
                LogRefused(context.Interaction.Id, context.Interaction.Data?.Name ?? context.Interaction.Data?.CustomId, ex.Message);
            }
            else
            {
                LogHandlerFailed(ex, context.Interaction.Id, context.Interaction.Data?.Name ?? context.Interaction.Data?.CustomId);
            }

            await ApologiseAsync(responder, ex is InteractionInputException input ? input.Message : "Something went wrong on our side; please try again.", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(InteractionResponder responder, CancellationToken cancellationToken)
    {
        await Task.Yield(); // never run a handler on the caller's stack (the socket loop, the HTTP request)
        var interaction = responder.Context.Interaction;
        var data = interaction.Data ?? throw new InteractionInputException("This interaction carries no data.");
        switch (interaction.Type)
        {
            case InteractionType.ApplicationCommand:
                var command = Command(data);
                await InvokeAsync(command, responder, BindOptions(command, interaction, cancellationToken)).ConfigureAwait(false);
                break;
            case InteractionType.ApplicationCommandAutocomplete:
                await AutocompleteAsync(Command(data), responder, cancellationToken).ConfigureAwait(false);
                break;
            case InteractionType.MessageComponent:
                var (method, captures) = _components.Match(data.CustomId ?? "") ?? throw new InteractionInputException("This button is no longer served.");
                await InvokeAsync(method, responder, BindStrings(method, captures, null, cancellationToken)).ConfigureAwait(false);
                break;
            case InteractionType.ModalSubmit:
                var (modal, segments) = _modals.Match(data.CustomId ?? "") ?? throw new InteractionInputException("This form is no longer served.");
                var inputs = Inputs(data.Components).Where(c => c.CustomId is not null).GroupBy(c => c.CustomId!).ToDictionary(g => g.Key, g => g.First().Value ?? "");
                await InvokeAsync(modal, responder, BindStrings(modal, segments, inputs, cancellationToken)).ConfigureAwait(false);
                break;
            default:
                throw new InteractionInputException($"Interactions of type {interaction.Type} are not handled.");
        }
    }

    /// <summary>
    /// The slash command the data names, checked against its declared shape: a user or message command
    /// (type 2 or 3) with the name of a slash command is not that command, and this bot declares no
    /// subcommands or groups, so an interaction that carries them names nothing it serves.
    /// </summary>
    private MethodInfo Command(InteractionData data)
    {
        if (data.Type is { } type && type != ChatInputCommandType)
        {
            throw new InteractionInputException($"{(type == 2 ? "User" : type == 3 ? "Message" : "This kind of")} command '{data.Name}' is not served by this bot.");
        }

        if (!_commands.TryGetValue(data.Name ?? "", out var method))
        {
            throw new InteractionInputException($"/{data.Name} is not a command of this bot (any more).");
        }

        if (data.Options?.FirstOrDefault(o => o.Type is ApplicationCommandOptionType.SubCommand or ApplicationCommandOptionType.SubCommandGroup) is { } nested)
        {
            var path = string.Join(' ', Path(nested));
            throw new InteractionInputException($"/{data.Name} {path} is not a command of this bot (any more).");
        }

        return method;
    }

    /// <summary>Every component of a modal submission, inside action rows (type 1) or labels (type 18) at any depth.</summary>
    private static IEnumerable<MessageComponent> Inputs(IReadOnlyList<MessageComponent>? components) =>
        (components ?? []).SelectMany(c => c.Components is { Count: > 0 } children ? Inputs(children)
            : c.Component is { } child ? Inputs([child])
            : [c]);

    /// <summary>The names of a subcommand group and subcommand as typed: "grp sub".</summary>
    private static IEnumerable<string> Path(InteractionDataOption option)
    {
        yield return option.Name;
        if (option.Options?.FirstOrDefault(o => o.Type is ApplicationCommandOptionType.SubCommand) is { } sub)
        {
            yield return sub.Name;
        }
    }

    private const int ChatInputCommandType = 1;

    private async Task InvokeAsync(MethodInfo method, InteractionResponder responder, object?[] arguments)
    {
        await using var scope = _services.CreateAsyncScope();
        var module = (InteractionModuleBase)ActivatorUtilities.CreateInstance(scope.ServiceProvider, method.DeclaringType!);
        module.Responder = responder;
        object? result;
        try
        {
            result = method.Invoke(module, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }

        if (result is Task task)
        {
            await task.ConfigureAwait(false);
        }
    }

    private async Task AutocompleteAsync(MethodInfo command, InteractionResponder responder, CancellationToken cancellationToken)
    {
        var focused = Flatten(responder.Context.Interaction.Data?.Options).FirstOrDefault(o => o.Focused == true)
            ?? throw new InteractionInputException("No option is being typed.");
        var parameter = command.GetParameters().FirstOrDefault(p => OptionName(p) == focused.Name && p.GetCustomAttribute<AutocompleteAttribute>() is not null)
            ?? throw new InteractionInputException($"Option '{focused.Name}' has no suggestions.");
        await using var scope = _services.CreateAsyncScope();
        var handler = (IAutocompleteHandler)ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, parameter.GetCustomAttribute<AutocompleteAttribute>()!.Handler);
        var current = focused.Value is { ValueKind: JsonValueKind.String } v ? v.GetString() ?? "" : focused.Value?.ToString() ?? "";
        var choices = await handler.SuggestAsync(responder.Context, current, cancellationToken).ConfigureAwait(false);
        await responder.RespondAsync(
            new InteractionResponse(InteractionCallbackType.ApplicationCommandAutocompleteResult, new InteractionCallbackData { Choices = [.. choices.Take(25)] }),
            null,
            cancellationToken).ConfigureAwait(false);
    }

    private static object?[] BindOptions(MethodInfo method, Interaction interaction, CancellationToken cancellationToken)
    {
        var options = Flatten(interaction.Data?.Options).ToDictionary(o => o.Name);
        return [.. method.GetParameters().Select(p =>
        {
            if (p.ParameterType == typeof(CancellationToken))
            {
                return cancellationToken;
            }

            var name = OptionName(p);
            if (!options.TryGetValue(name, out var option) || option.Value is not { } value || value.ValueKind == JsonValueKind.Null)
            {
                // A required option (as CommandRegistry declares it) that did not come is refused, never bound as null.
                return !CommandRegistry.IsRequired(p) ? (p.HasDefaultValue ? p.DefaultValue : null)
                    : throw new InteractionInputException($"The {name} option is required.");
            }

            try
            {
                return Convert(value, Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType, interaction);
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException or OverflowException or KeyNotFoundException)
            {
                throw new InteractionInputException($"'{value}' is not a valid {name}.");
            }
        })];
    }

    private static object?[] BindStrings(MethodInfo method, IReadOnlyList<string> captures, Dictionary<string, string>? inputs, CancellationToken cancellationToken)
    {
        var next = 0;
        return [.. method.GetParameters().Select(p => p.ParameterType == typeof(CancellationToken)
            ? cancellationToken
            : p.ParameterType != typeof(string) ? (p.HasDefaultValue ? p.DefaultValue : null)
            : next < captures.Count ? captures[next++]
            : inputs is not null && inputs.TryGetValue(p.Name!, out var value) ? value
            : p.HasDefaultValue ? p.DefaultValue : null)];
    }

    private static object Convert(JsonElement value, Type type, Interaction interaction) => type switch
    {
        _ when type == typeof(string) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText(),
        _ when type == typeof(int) => value.ValueKind == JsonValueKind.String ? int.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt32(),
        _ when type == typeof(long) => value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt64(),
        _ when type == typeof(double) => value.GetDouble(),
        _ when type == typeof(float) => value.GetSingle(),
        _ when type == typeof(bool) => value.GetBoolean(),
        _ when type.IsEnum => Enum.Parse(type, value.GetString()!, ignoreCase: true),
        _ when type == typeof(Attachment) => ResolveAttachment(value.GetString()!, interaction),
        _ when type == typeof(ChannelOption) => new ChannelOption(value.GetString()!),
        _ => throw new InvalidOperationException($"no binding for {type.Name}"),
    };

    private static Attachment ResolveAttachment(string id, Interaction interaction)
    {
        var resolved = interaction.Data?.Resolved ?? throw new KeyNotFoundException("no resolved data");
        var a = resolved.GetProperty("attachments").GetProperty(id);
        return new Attachment(
            id,
            a.GetProperty("filename").GetString()!,
            a.GetProperty("size").GetInt64(),
            a.GetProperty("url").GetString()!,
            a.TryGetProperty("content_type", out var type) ? type.GetString() : null);
    }

    private static string OptionName(ParameterInfo parameter) => parameter.GetCustomAttribute<SummaryAttribute>()?.Name ?? parameter.Name!.ToLowerInvariant();

    private static IEnumerable<InteractionDataOption> Flatten(IReadOnlyList<InteractionDataOption>? options) =>
        (options ?? []).SelectMany(o => o.Options is { Count: > 0 } children ? Flatten(children) : [o]);

    private async Task ApologiseAsync(InteractionResponder responder, string message, CancellationToken cancellationToken)
    {
        var payload = new MessagePayload { Content = message, Flags = InteractionCallbackData.EphemeralFlag };
        try
        {
            if (responder.Context.Interaction.Type == InteractionType.ApplicationCommandAutocomplete)
            {
                if (!responder.Context.IsAcknowledged)
                {
                    await responder.RespondAsync(new InteractionResponse(InteractionCallbackType.ApplicationCommandAutocompleteResult, new InteractionCallbackData { Choices = [] }), null, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (!responder.Context.IsAcknowledged)
            {
                await responder.RespondAsync(new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, new InteractionCallbackData { Content = message, Flags = InteractionCallbackData.EphemeralFlag }), null, cancellationToken).ConfigureAwait(false);
            }
            else if (responder.TokenAlive && !responder.FirstResponseRefused)
            {
                await responder.FollowupAsync(payload, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InteractionExpiredException or Rest.DiscordHttpException or HttpRequestException)
        {
            LogApologyFailed(ex, responder.Context.Interaction.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Interaction {Id} was deferred for its handler, which had not answered near the 3 s deadline")]
    private partial void LogAutoDeferred(string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Interaction {Id} ({Name}) refused: {Reason}")]
    private partial void LogRefused(string id, string? name, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The handler of interaction {Id} ({Name}) failed")]
    private partial void LogHandlerFailed(Exception exception, string id, string? name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the user that interaction {Id} failed")]
    private partial void LogApologyFailed(Exception exception, string id);
}

/// <summary>Input the user can fix (a bad option value, a stale button): shown to them as it is, ephemerally.</summary>
public sealed class InteractionInputException : Exception
{
    public InteractionInputException()
    {
    }

    public InteractionInputException(string message)
        : base(message)
    {
    }

    public InteractionInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
