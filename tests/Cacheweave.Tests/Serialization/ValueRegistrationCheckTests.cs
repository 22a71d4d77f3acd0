using Cacheweave.Backends;
using Cacheweave.DependencyInjection;
using Cacheweave.Interception;
using Cacheweave.Serialization;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Cacheweave.Tests.Serialization;

/// <summary>A cached method whose result type would not survive its backend's serializer fails when its proxy is built, naming method, type and member.</summary>
public sealed class ValueRegistrationCheckTests
{
    public sealed class Invoice
    {
        public int Id { get; private set; }

        public string? Customer { get; set; }
    }

    public sealed record Receipt(int Id, string Customer);

    public interface IBilling
    {
        [Cached]
        Task<Invoice> GetInvoiceAsync(int id);
    }

    public interface IReceipts
    {
        [Cached]
        Task<Receipt> GetReceiptAsync(int id);
    }

    /// <summary>An in-memory backend that claims to serialize its values, as a Redis tier does.</summary>
    public sealed class SerializingBackend(ICacheValueSerializer? serializer) : ICacheBackend, ISerializingCacheBackend
    {
        private readonly LruBackend _inner = new(100);

        public ICacheValueSerializer? ValueSerializer { get; } = serializer;

        public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default) => _inner.GetAsync<T>(key, cancellationToken);

        public ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
            _inner.PutAsync(key, value, options, cancellationToken);

        public ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default) => _inner.RemoveAsync(key, cancellationToken);

        public ValueTask ClearAsync(CancellationToken cancellationToken = default) => _inner.ClearAsync(cancellationToken);

        public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => _inner.CountAsync(cancellationToken);
    }

    private static TService Resolve<TService>(ICacheBackend backend, TService real)
        where TService : class
    {
        var services = new ServiceCollection();
        services.AddCacheweave(b => b.UseDefaultBackend(_ => backend));
        services.AddSingleton(real);
        services.AddCachedProxy<TService>();
        return services.BuildServiceProvider().GetRequiredService<TService>();
    }

    [Theory]
    [MemberData(nameof(ValueSerializerCheckTests.Serializers), MemberType = typeof(ValueSerializerCheckTests))]
    public void A_result_with_a_private_setter_fails_on_a_serializing_backend_naming_method_type_and_member(string serializer)
    {
        var backend = new SerializingBackend(ValueSerializerCheckTests.Serializer(serializer));

        var error = Assert.ThrowsAny<InvalidOperationException>(() =>
        {
            _ = Resolve(backend, Substitute.For<IBilling>()).GetInvoiceAsync(1);
        });

        var message = error.ToString();
        Assert.Contains("GetInvoiceAsync", message, StringComparison.Ordinal);
        Assert.Contains("Invoice.Id", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_result_type_is_fine_on_a_backend_that_keeps_objects()
    {
        var real = Substitute.For<IBilling>();
        real.GetInvoiceAsync(1).Returns(new Invoice { Customer = "Ada" });

        var invoice = await Resolve(new SerializingBackend(null), real).GetInvoiceAsync(1);

        Assert.Equal("Ada", invoice.Customer);
    }

    [Fact]
    public async Task A_record_result_passes_the_check_on_a_serializing_backend()
    {
        var real = Substitute.For<IReceipts>();
        real.GetReceiptAsync(1).Returns(new Receipt(1, "Ada"));

        var receipt = await Resolve(new SerializingBackend(MessagePackCacheValueSerializer.Instance), real).GetReceiptAsync(1);

        Assert.Equal(new Receipt(1, "Ada"), receipt);
    }
}
