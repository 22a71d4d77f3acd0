using System.Runtime.InteropServices;

namespace Cacheweave.Backends.Counters;

/// <summary>A long alone on its own cache line, so that threads updating neighbours do not slow each other.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedCounter
{
    [FieldOffset(64)]
    internal long Value;
}
