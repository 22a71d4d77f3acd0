namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>Renders a report of the requested size and counts how often it ran.</summary>
public sealed class ReportService : IReportService
{
    private int _runs;

    public int Runs => Volatile.Read(ref _runs);

    public Task<string> RenderAsync(int characters)
    {
        Interlocked.Increment(ref _runs);
        return Task.FromResult(new string('r', characters));
    }
}
