using Cacheweave.Backends.Engine;

namespace Cacheweave.Keys;

/// <summary>
/// A key the key memo remembered for one argument list, with the in-memory entry last found under it. A cached call's
/// hit starts from <see cref="Entry"/> and skips the backend's map (hashing the 70-odd character key and two dependent
/// memory reads) while that entry is still live; once it has left its backend the map is read as usual and the hint
/// refreshed.
/// </summary>
/// <remarks>
/// Each method plan has its own key builder, memo and backend, so a handle's entry can only ever come from that
/// plan's in-memory backend (<see cref="Backends.InMemoryBackend.TryGetRemembered{T}(KeyHandle, out T)"/> writes it and is
/// the only reader). An entry is trusted only while it is not detached: every way out of a backend's map (removal,
/// eviction, expiry, replacement by a new entry, clear, snapshot load) detaches the entry under the backend's lock.
/// </remarks>
internal sealed class KeyHandle
{
    /// <summary>Creates the handle of <paramref name="key"/>, with no entry yet.</summary>
    public KeyHandle(string key)
    {
        Key = key;
    }

    /// <summary>The cache key.</summary>
    public string Key { get; }

    /// <summary>
    /// The entry the plan's in-memory backend last found under <see cref="Key"/>, or <see langword="null"/>. Written
    /// and read without a lock by the backend: any entry a thread stores here was live under this key when found.
    /// </summary>
    internal CacheEntry? Entry;
}
