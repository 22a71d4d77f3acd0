using System.Reflection;
using System.Runtime.Loader;

namespace Cacheweave.Benchmarks.Comparison;

/// <summary>
/// Loads one build of the benchmark project, with its own copy of Cacheweave and every other package it ships,
/// beside other builds in the same process. Framework assemblies come from the default context.
/// </summary>
internal sealed class BuildLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    internal BuildLoadContext(string benchmarksAssemblyPath)
        : base(Path.GetFileName(Path.GetDirectoryName(benchmarksAssemblyPath)), isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(benchmarksAssemblyPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName) =>
        _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
}
