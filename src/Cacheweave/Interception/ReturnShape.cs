namespace Cacheweave.Interception;

/// <summary>How a cached method hands back its value.</summary>
internal enum ReturnShape
{
    /// <summary>A synchronous <c>T</c>.</summary>
    Synchronous,

    /// <summary>A <c>Task&lt;T&gt;</c>.</summary>
    Task,

    /// <summary>A <c>ValueTask&lt;T&gt;</c>.</summary>
    ValueTask,
}
