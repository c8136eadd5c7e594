using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;

namespace ComposerBot.Web;

/// <summary>
/// Who may open the jobs dashboard: a browser that signed in at /signin with the admin token. The token
/// itself never travels in a URL (it would stay in browser history and proxy logs) and is never stored in
/// the browser: the HttpOnly, SameSite=Strict cookie holds an HMAC derived from it, compared in constant time.
/// </summary>
internal sealed class DashboardGate(string adminToken)
{
    public const string Cookie = "composerbot_admin";
    public const string SignInPath = "/signin";
    public const string DashboardPath = "/jobs";

    private readonly byte[] _token = Encoding.UTF8.GetBytes(adminToken);
    private readonly byte[] _session = HMACSHA256.HashData(Encoding.UTF8.GetBytes(adminToken), "composerbot jobs dashboard session"u8);

    /// <summary>Whether the request carries the signed-in cookie.</summary>
    public bool IsSignedIn(HttpRequest request) =>
        request.Cookies[Cookie] is { Length: 64 } value && FromHex(value) is { } given && CryptographicOperations.FixedTimeEquals(given, _session);

    /// <summary>Whether a token typed into the sign-in form is the admin token.</summary>
    public bool IsAdminToken(string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _token);

    public void SignIn(HttpResponse response, bool https) =>
        response.Cookies.Append(Cookie, Convert.ToHexStringLower(_session), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = DashboardPath,
            Secure = https,
            IsEssential = true,
        });

    /// <summary>Hangfire's own check, behind the middleware's redirect: the same cookie.</summary>
    public IDashboardAuthorizationFilter Filter => new CookieFilter(this);

    private static byte[]? FromHex(string text)
    {
        var bytes = new byte[text.Length / 2];
        return Convert.FromHexString(text, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == bytes.Length ? bytes : null;
    }

    private sealed class CookieFilter(DashboardGate gate) : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => gate.IsSignedIn(context.GetHttpContext().Request);
    }
}
