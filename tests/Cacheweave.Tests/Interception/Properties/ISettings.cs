using Cacheweave.Interception;

namespace Cacheweave.Tests.Interception.Properties;

/// <summary>An interface-wide [Cached] over a settable property, a read-only property and a method.</summary>
[Cached]
public interface ISettings
{
    int Limit { get; set; }

    string Region { get; }

    int Twice(int n);
}
