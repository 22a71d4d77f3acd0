using Cacheweave.Interception;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Tests.FailSafe;

/// <summary>Lifetime options that cannot work fail at registration, naming the method and the setting.</summary>
public sealed class LifetimeValidationTests
{
    public interface IFailSafeWithoutTtl
    {
        [Cached(FailSafeSeconds = 60)]
        Task<int> GetAsync(int id);
    }

    public interface IEagerRefreshOutOfRange
    {
        [Cached(TtlSeconds = 10, EagerRefresh = 1.5)]
        Task<int> GetAsync(int id);
    }

    public interface ISoftTimeoutWithoutFailSafe
    {
        [Cached(TtlSeconds = 10, SoftTimeoutMs = 100)]
        Task<int> GetAsync(int id);
    }

    public interface ISoftNotShorterThanHard
    {
        [Cached(TtlSeconds = 10, FailSafeSeconds = 60, SoftTimeoutMs = 500, HardTimeoutMs = 500)]
        Task<int> GetAsync(int id);
    }

    public interface IThrottleWithoutFailSafe
    {
        [Cached(TtlSeconds = 10, FailSafeThrottleSeconds = 5)]
        Task<int> GetAsync(int id);
    }

    public interface IUnknownUnless
    {
        [Cached(TtlSeconds = 10, Unless = "IsMissing")]
        Task<int> GetAsync(int id);
    }

    public interface IUnlessOfAnotherType
    {
        [Cached(TtlSeconds = 10, Unless = nameof(IsEmpty))]
        Task<int> GetAsync(int id);

        static bool IsEmpty(string text) => text.Length == 0;
    }

    public interface IWrongConditionType
    {
        [Cached(TtlSeconds = 10, UnlessType = typeof(NegativeStock))]
        Task<int> GetAsync(int id);
    }

    public interface INullTtlWithoutNullCaching
    {
        [Cached(TtlSeconds = 10, NullTtlSeconds = 1, CacheNulls = false)]
        Task<string?> GetAsync(int id);
    }

    public interface INegativeJitter
    {
        [Cached(TtlSeconds = 10, JitterSeconds = -1)]
        Task<int> GetAsync(int id);
    }

    public static TheoryData<Type, string> Misuses => new()
    {
        { typeof(IFailSafeWithoutTtl), "TtlSeconds" },
        { typeof(IEagerRefreshOutOfRange), "EagerRefresh = 1.5" },
        { typeof(ISoftTimeoutWithoutFailSafe), "SoftTimeoutMs" },
        { typeof(ISoftNotShorterThanHard), "HardTimeoutMs" },
        { typeof(IThrottleWithoutFailSafe), "FailSafeThrottleSeconds" },
        { typeof(IUnknownUnless), "IsMissing" },
        { typeof(IUnlessOfAnotherType), "IsEmpty" },
        { typeof(IWrongConditionType), "NegativeStock" },
        { typeof(INullTtlWithoutNullCaching), "NullTtlSeconds" },
        { typeof(INegativeJitter), "JitterSeconds = -1" },
    };

    [Theory]
    [MemberData(nameof(Misuses))]
    public void An_unusable_lifetime_option_fails_at_registration_naming_the_method_and_the_setting(Type serviceType, string setting)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Register(serviceType));

        Assert.Contains($"{serviceType.FullName}.GetAsync", error.Message, StringComparison.Ordinal);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    private static void Register(Type serviceType)
    {
        var services = new ServiceCollection();
        services.AddCacheweave();
        var addCachedProxy = typeof(CacheweaveServiceCollectionExtensions).GetMethods()
            .Single(m => m.Name == nameof(CacheweaveServiceCollectionExtensions.AddCachedProxy) && m.GetGenericArguments().Length == 1)
            .MakeGenericMethod(serviceType);
        try
        {
            addCachedProxy.Invoke(null, [services]);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
        }
    }
}
