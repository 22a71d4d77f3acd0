namespace Cacheweave.Interception;

/// <summary>
/// One key held by a cached call in the current async flow, linked to the keys held by the calls around it: how a
/// call that re-enters its own key through the proxy is recognised.
/// </summary>
/// <remarks>
/// The chain lives in an <see cref="AsyncLocal{T}"/>, so it flows into whatever the method starts, including work
/// that outlives the call; <see cref="IsReleased"/> makes a key count as held only while its call runs.
/// </remarks>
internal sealed class FlowHeldKey
{
    private volatile bool _released;

    public FlowHeldKey(string key, FlowHeldKey? next)
    {
        Key = key;
        Next = next;
    }

    /// <summary>The key held.</summary>
    public string Key { get; }

    /// <summary>The key held by the enclosing call, if any.</summary>
    public FlowHeldKey? Next { get; }

    /// <summary>Whether the call that held the key has finished.</summary>
    public bool IsReleased => _released;

    /// <summary>Marks the key as no longer held.</summary>
    public void Release() => _released = true;
}
