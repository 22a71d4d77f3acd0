using System.Globalization;
using System.Runtime.InteropServices;

namespace Cacheweave.Benchmarks.Report;

/// <summary>The machine a report was measured on, so readers can judge the absolute numbers.</summary>
/// <param name="Cpu">The CPU model, from /proc/cpuinfo where available.</param>
/// <param name="LogicalCores">The logical cores the process sees.</param>
/// <param name="OperatingSystem">The OS name and version.</param>
/// <param name="Runtime">The .NET runtime.</param>
/// <param name="MeasuredAt">When the measurement ran (UTC).</param>
/// <param name="IsVirtualMachine">Whether the CPU reports a hypervisor.</param>
public sealed record MachineInfo(string Cpu, int LogicalCores, string OperatingSystem, string Runtime, DateTimeOffset MeasuredAt, bool IsVirtualMachine)
{
    /// <summary>Describes this machine.</summary>
    public static MachineInfo Detect()
    {
        var cpu = "unknown CPU";
        var virtualMachine = false;
        if (File.Exists("/proc/cpuinfo"))
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) && cpu == "unknown CPU")
                {
                    cpu = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
                else if (line.StartsWith("flags", StringComparison.Ordinal) && line.Contains(" hypervisor", StringComparison.Ordinal))
                {
                    virtualMachine = true;
                }
            }
        }

        return new MachineInfo(cpu, Environment.ProcessorCount, OsName(), RuntimeInformation.FrameworkDescription, DateTimeOffset.UtcNow, virtualMachine);
    }

    /// <summary>One line for the report.</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Cpu}{(IsVirtualMachine ? " (virtual machine)" : string.Empty)}, {LogicalCores} logical cores, {OperatingSystem}, {Runtime} ({RuntimeInformation.ProcessArchitecture}); measured {MeasuredAt:yyyy-MM-dd HH:mm} UTC");

    private static string OsName()
    {
        if (File.Exists("/etc/os-release"))
        {
            var pretty = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            if (pretty is not null)
            {
                return $"{pretty["PRETTY_NAME=".Length..].Trim('"')} (kernel {Environment.OSVersion.Version})";
            }
        }

        return RuntimeInformation.OSDescription;
    }
}
