namespace Cacheweave.Backends.Lfu;

/// <summary>The W-TinyLFU region a recently evicted key left (see <see cref="EvictionGhosts"/>).</summary>
internal enum GhostRegion
{
    /// <summary>No remembered departure within the horizon.</summary>
    None = 0,

    /// <summary>A window candidate that lost its duel.</summary>
    Window = 1,

    /// <summary>A main-region victim.</summary>
    Main = 2,
}
