using Cacheweave.Interception;

namespace Cacheweave.Tests.Interception;

/// <summary>Takes an <see cref="object"/>, so whether the argument can be serialized is only known per call.</summary>
public interface IOpaqueArgumentService
{
    [Cached]
    Task<string> LookupAsync(object filter);
}
