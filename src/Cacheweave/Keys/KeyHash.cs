using System.Security.Cryptography;

namespace Cacheweave.Keys;

/// <summary>
/// The hash every key is made of: SHA-256. The one place to change if the hash implementation changes (a different
/// algorithm would change every key, so it would be a breaking change for shared backends).
/// </summary>
internal static class KeyHash
{
    // On Linux SHA-256 goes through OpenSSL, where a one-shot SHA256.HashData pays for setting up a digest context on
    // every call (about twice the cost of the hashing itself for key-sized input). A per-thread IncrementalHash keeps
    // its context and is only reset.
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    /// <summary>Writes SHA-256(<paramref name="head"/> followed by <paramref name="tail"/>) into <paramref name="hash"/>.</summary>
    public static void Sha256(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, ref Sha256Hash hash)
    {
        var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(head);
        sha256.AppendData(tail);
        sha256.GetHashAndReset(hash);
    }
}
