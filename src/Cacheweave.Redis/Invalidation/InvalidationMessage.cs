using System.Globalization;
using Cacheweave.Tiers;

namespace Cacheweave.Redis.Invalidation;

/// <summary>
/// The text of a message on a Redis invalidation channel: <c>cw1|&lt;sender id&gt;|k|&lt;key&gt;</c> drops one key,
/// <c>cw1|&lt;sender id&gt;|*</c> drops every key. Plain text, so an operator can publish one with redis-cli.
/// <c>cw1|&lt;sender id&gt;|p|&lt;nonce&gt;</c> is a probe a channel sends itself to confirm that its subscription is live;
/// every other instance ignores it.
/// </summary>
internal static class InvalidationMessage
{
    private const string Version = "cw1";

    /// <summary>Formats <paramref name="invalidation"/> as sent by <paramref name="sender"/>.</summary>
    public static string Format(Guid sender, CacheInvalidation invalidation) => invalidation.Key is { } key
        ? string.Create(CultureInfo.InvariantCulture, $"{Version}|{sender:N}|k|{key}")
        : string.Create(CultureInfo.InvariantCulture, $"{Version}|{sender:N}|*");

    /// <summary>Formats the probe <paramref name="sender"/> sends itself.</summary>
    public static string FormatProbe(Guid sender, Guid nonce) =>
        string.Create(CultureInfo.InvariantCulture, $"{Version}|{sender:N}|p|{nonce:N}");

    /// <summary>Parses a probe; <see langword="false"/> when the text is not one.</summary>
    public static bool TryParseProbe(string? text, out Guid sender, out Guid nonce)
    {
        sender = Guid.Empty;
        nonce = Guid.Empty;
        return text?.Split('|', 4) is [Version, var id, "p", var value]
            && Guid.TryParseExact(id, "N", out sender)
            && Guid.TryParseExact(value, "N", out nonce);
    }

    /// <summary>Parses a message; <see langword="false"/> when it is not one (messages are untrusted input).</summary>
    public static bool TryParse(string? text, out Guid sender, out CacheInvalidation invalidation)
    {
        sender = Guid.Empty;
        invalidation = default;
        if (text is null)
        {
            return false;
        }

        var parts = text.Split('|', 4);
        if (parts.Length < 3 || parts[0] != Version || !Guid.TryParseExact(parts[1], "N", out sender))
        {
            return false;
        }

        switch (parts)
        {
            case [_, _, "*"]:
                invalidation = CacheInvalidation.All;
                return true;
            case [_, _, "k", { Length: > 0 } key]:
                invalidation = CacheInvalidation.ForKey(key);
                return true;
            default:
                return false;
        }
    }
}
