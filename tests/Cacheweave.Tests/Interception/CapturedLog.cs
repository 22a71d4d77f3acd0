using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NSubstitute;

namespace Cacheweave.Tests.Interception;

/// <summary>An <see cref="ILoggerFactory"/> whose every logger is one <see cref="FakeLogger"/>, to read what the plans log.</summary>
public static class CapturedLog
{
    public static ILoggerFactory FactoryOf(FakeLogger log)
    {
        var loggers = Substitute.For<ILoggerFactory>();
        loggers.CreateLogger(Arg.Any<string>()).Returns(log);
        return loggers;
    }
}
