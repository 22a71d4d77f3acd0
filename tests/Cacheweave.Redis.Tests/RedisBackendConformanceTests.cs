using Cacheweave.Backends;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Tests.Backends;

namespace Cacheweave.Redis.Tests;

/// <summary>The shared backend contract, on a real redis-server, with a key prefix of its own per test.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisBackendConformanceTests(RedisServerFixture fixture) : CacheBackendConformanceTests
{
    protected override ICacheBackend CreateBackend() =>
        RedisBackend.Connect(fixture.Server.Configuration, new RedisBackendOptions
        {
            KeyPrefix = $"conformance:{Guid.NewGuid():N}:",
            MaximumValueSize = LargeValueRoom,
        });
}
