namespace Cacheweave.DependencyInjection;

/// <summary>
/// The service key under which a decorated registration lives on, so that the container still creates and disposes
/// the real service while the unkeyed registration returns the proxy.
/// </summary>
/// <param name="ServiceType">The decorated interface.</param>
internal sealed record DecoratedServiceKey(Type ServiceType);
