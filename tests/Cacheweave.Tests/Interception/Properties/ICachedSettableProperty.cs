using Cacheweave.Interception;

namespace Cacheweave.Tests.Interception.Properties;

/// <summary>An explicit [Cached] on the getter of a settable property: a mistake caught at registration.</summary>
public interface ICachedSettableProperty
{
    int Limit { [Cached] get; set; }
}
