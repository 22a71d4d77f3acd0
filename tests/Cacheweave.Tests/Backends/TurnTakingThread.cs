namespace Cacheweave.Tests.Backends;

/// <summary>
/// A dedicated thread that runs one action at a time when asked and reports back, so that a test can make calls
/// from several distinct threads in an exact order.
/// </summary>
internal sealed class TurnTakingThread : IDisposable
{
    private readonly Thread _thread;
    private readonly SemaphoreSlim _go = new(0);
    private readonly SemaphoreSlim _done = new(0);
    private Action? _action;
    private Exception? _error;

    public TurnTakingThread()
    {
        _thread = new Thread(Loop) { IsBackground = true };
        _thread.Start();
    }

    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>
    /// Runs each action on a thread of its own, one after another: the threads are all alive at once (so each has
    /// its own id) and take their turns in descending order of id.
    /// </summary>
    public static void RunInTurns(IReadOnlyList<Action> actions)
    {
        var threads = actions.Select(_ => new TurnTakingThread()).ToList();
        try
        {
            var turns = threads.OrderByDescending(thread => thread.ManagedThreadId).ToList();
            for (var i = 0; i < actions.Count; i++)
            {
                turns[i].Run(actions[i]);
            }
        }
        finally
        {
            threads.ForEach(thread => thread.Dispose());
        }
    }

    /// <summary>Runs <paramref name="action"/> on this thread and waits until it has finished.</summary>
    public void Run(Action action)
    {
        _action = action;
        _go.Release();
        _done.Wait();
        if (_error is { } error)
        {
            _error = null;
            throw new InvalidOperationException("The action failed on its thread.", error);
        }
    }

    public void Dispose()
    {
        _action = null;
        _go.Release();
        _thread.Join();
        _go.Dispose();
        _done.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            _go.Wait();
            if (_action is not { } action)
            {
                return;
            }

            try
            {
                action();
            }
#pragma warning disable CA1031 // Handed back to the caller of Run.
            catch (Exception error)
#pragma warning restore CA1031
            {
                _error = error;
            }

            _done.Release();
        }
    }
}
