using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Cacheweave.Redis.Tests.Infrastructure.RedisTestFramework", "Cacheweave.Redis.Tests")]

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>
/// Every test of this assembly needs redis-server, including the conformance tests inherited from
/// Cacheweave.Tests, whose <c>[Fact]</c>s cannot be changed here. Without the binary, this framework reports each
/// test as skipped with the reason — except under CI=true, where the tests run and fail, so that a CI machine
/// missing Redis cannot pass silently.
/// </summary>
public sealed class RedisTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    public const string SkipReason =
        "redis-server (or, for the cluster tests, redis-cli) was not found (PATH, or CACHEWEAVE_REDIS_SERVER); install it " +
        "with apt-get install -y redis-server to run the Redis tests. With CI=true these tests fail instead of being skipped.";

    public static bool SkipAll => RedisServer.BinaryPath is null && !RedisServer.IsCi;

    /// <summary>The cluster tests need redis-cli as well, to join the nodes.</summary>
    public static bool SkipCluster => SkipAll || (RedisCluster.CliPath is null && !RedisServer.IsCi);

    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(
            ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            var skip = IsClusterTest(testMethod) ? SkipCluster : SkipAll;
            if (!skip || testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).FirstOrDefault() is null)
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }

            var skipped = new SkippedTestCase(
                DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
            return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
        }

        private static bool IsClusterTest(ITestMethod testMethod) =>
            testMethod.TestClass.TestCollection.CollectionDefinition?.Name == typeof(RedisClusterCollection).FullName;
    }

    /// <summary>A test case reported as skipped because redis-server is missing.</summary>
    public sealed class SkippedTestCase : XunitTestCase
    {
        [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
        public SkippedTestCase()
        {
        }

        public SkippedTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod)
            : base(sink, display, options, testMethod)
        {
        }

        protected override string GetSkipReason(IAttributeInfo factAttribute) => RedisTestFramework.SkipReason;
    }
}
