namespace Cacheweave.Interception;

/// <summary>
/// Waits for backend operations on behalf of synchronous cached methods. A synchronous method cannot return before
/// its value exists, so when a backend completes asynchronously (Redis) the calling thread blocks; in-memory backends
/// complete synchronously and never block. Also used by synchronous <c>Dispose</c> methods that finish pending work.
/// </summary>
internal static class Synchronously
{
    public static T Wait<T>(ValueTask<T> pending) =>
        pending.IsCompleted ? pending.GetAwaiter().GetResult() : pending.AsTask().GetAwaiter().GetResult();

    public static void Wait(ValueTask pending)
    {
        if (pending.IsCompleted)
        {
            pending.GetAwaiter().GetResult();
        }
        else
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }
}
