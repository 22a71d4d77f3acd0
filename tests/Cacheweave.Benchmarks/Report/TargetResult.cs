namespace Cacheweave.Benchmarks.Report;

/// <summary>One performance target and how the measurement stands against it.</summary>
/// <param name="Target">The target as stated.</param>
/// <param name="Subject">What was measured (e.g. which backend).</param>
/// <param name="Measured">The measured ratio or amount, formatted.</param>
/// <param name="Met">Whether the target is met; <see langword="null"/> when it could not be measured.</param>
/// <param name="Detail">The numbers the ratio comes from.</param>
public sealed record TargetResult(string Target, string Subject, string Measured, bool? Met, string Detail)
{
    /// <summary>The verdict column of the report.</summary>
    public string Verdict => Met switch
    {
        true => "met",
        false => "**missed**",
        null => "not measured",
    };
}
