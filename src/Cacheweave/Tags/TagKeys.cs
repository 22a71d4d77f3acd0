namespace Cacheweave.Tags;

/// <summary>Where a tag's version lives in a backend: <c>cw:tag:&lt;tag&gt;</c>, one entry per distinct tag.</summary>
internal static class TagKeys
{
    /// <summary>The start of every tag version key.</summary>
    public const string Prefix = "cw:tag:";

    /// <summary>The key of <paramref name="tag"/>'s version.</summary>
    public static string Of(string tag) => Prefix + tag;
}
