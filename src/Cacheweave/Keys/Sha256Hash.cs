using System.Runtime.CompilerServices;

namespace Cacheweave.Keys;

/// <summary>The 32 bytes of a SHA-256 hash, held inline so it can live on the stack and be compared without allocating.</summary>
[InlineArray(Size)]
internal struct Sha256Hash
{
    /// <summary>The size of a SHA-256 hash in bytes.</summary>
    public const int Size = 32;

    private byte _element0;
}
