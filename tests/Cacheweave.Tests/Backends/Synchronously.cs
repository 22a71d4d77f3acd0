namespace Cacheweave.Tests.Backends;

/// <summary>
/// Unwraps the value tasks of an in-memory backend, which by contract complete synchronously; a call that
/// does not is a failure, not something to wait for.
/// </summary>
internal static class Synchronously
{
    public static T Result<T>(ValueTask<T> task)
    {
        Assert.True(task.IsCompletedSuccessfully, "An in-memory backend call did not complete synchronously.");
        return task.Result;
    }

    public static void Complete(ValueTask task)
    {
        Assert.True(task.IsCompletedSuccessfully, "An in-memory backend call did not complete synchronously.");
        task.GetAwaiter().GetResult();
    }
}
