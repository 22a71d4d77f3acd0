using System.Reflection;
using BenchmarkDotNet.Attributes;
using Cacheweave.Benchmarks;
using Cacheweave.Benchmarks.Backends;
using Cacheweave.Benchmarks.Infrastructure;
using Cacheweave.Benchmarks.Keys;

namespace Cacheweave.Tests.Benchmarks;

/// <summary>
/// Every benchmark class keeps compiling and working: each [Benchmark] method runs once with small caches.
/// Nothing here is timed; the benchmarks themselves run only through tests/Cacheweave.Benchmarks.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    public BenchmarkSmokeTests() => BenchmarkProfile.Smoke = true;

    public static TheoryData<string> BenchmarkClasses()
    {
        var data = new TheoryData<string>();
        foreach (var type in AllBenchmarkTypes())
        {
            data.Add(type.Name);
        }

        return data;
    }

    [Fact]
    public void The_lab_has_a_benchmark_class_for_every_measured_operation()
    {
        var names = AllBenchmarkTypes().Select(t => t.Name).ToList();

        Assert.Contains(nameof(GetHitBenchmarks), names);
        Assert.Contains(nameof(GetMissBenchmarks), names);
        Assert.Contains(nameof(PutBenchmarks), names);
        Assert.Contains(nameof(MixedWorkloadBenchmarks), names);
        Assert.Contains(nameof(KeyBuildingBenchmarks), names);
    }

    [Theory]
    [MemberData(nameof(BenchmarkClasses))]
    public async Task Every_benchmark_method_runs_once(string className)
    {
        var type = AllBenchmarkTypes().Single(t => t.Name == className);
        var methods = BenchmarkMethodInvoker.BenchmarkMethods(type);
        Assert.NotEmpty(methods);
        var category = type.GetCustomAttributes<BenchmarkCategoryAttribute>(inherit: true).FirstOrDefault()?.Categories.FirstOrDefault();

        foreach (var method in methods)
        {
            var result = await BenchmarkMethodInvoker.RunOnceAsync(type, method);

            var operations = method.GetCustomAttribute<BenchmarkAttribute>()!.OperationsPerInvoke;
            switch (category)
            {
                case "get-hit" or "get-hit-uniform":
                    Assert.True((int)result! >= operations * 95 / 100, $"{className}.{method.Name}: {result} hits of {operations} reads of resident keys.");
                    break;
                case "get-miss":
                    Assert.True((int)result! == 0, $"{className}.{method.Name}: {result} hits on keys that were never written.");
                    break;
                case "mix-80-20":
                    Assert.InRange((int)result!, 1, operations - 1);
                    break;
                default:
                    Assert.True(method.ReturnType == typeof(void) || result is not null, $"{className}.{method.Name} returned null.");
                    break;
            }
        }
    }

    private static IEnumerable<Type> AllBenchmarkTypes() =>
        typeof(BenchmarkProgram).Assembly.GetTypes()
            .Where(t => t is { IsPublic: true, IsAbstract: false, IsClass: true } && BenchmarkMethodInvoker.BenchmarkMethods(t).Count > 0)
            .OrderBy(t => t.Name, StringComparer.Ordinal);
}
