using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using MessagePack;
using MessagePack.Resolvers;

namespace Cacheweave.Benchmarks.Keys;

/// <summary>
/// Building a cache key from a method's identity and its arguments: MessagePack over
/// <c>[method id, arg1, …]</c>, SHA-256 of the bytes, and the key string. The baseline is SHA-256 alone over
/// the same bytes, so the ratio shows what serialization and formatting add to the hash.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("key")]
public class KeyBuildingBenchmarks
{
    private const string MethodId = "Cacheweave.Benchmarks.IOrderService.GetOrderAsync(System.Int32,System.String,System.Guid)";

    private static readonly MessagePackSerializerOptions Options =
        MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance).WithSecurity(MessagePackSecurity.UntrustedData);

    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private object?[] _payload = [];
    private byte[] _bytes = [];

    /// <summary>How many arguments the method takes.</summary>
    [Params(1, 3, 10)]
    public int Arguments { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = [MethodId, .. SampleArguments(Arguments)];
        _bytes = MessagePackSerializer.Serialize(_payload, Options);
    }

    /// <summary>SHA-256 of the already serialized arguments: the floor any hashed key pays.</summary>
    [Benchmark(Baseline = true)]
    public byte[] Sha256Only() => SHA256.HashData(_bytes);

    /// <summary>Serialize to a new array, hash, format: what a first implementation does.</summary>
    [Benchmark]
    public string MessagePackThenSha256() => FormatKey(SHA256.HashData(MessagePackSerializer.Serialize(_payload, Options)));

    /// <summary>Serialize into a reused buffer and hash into the stack: only the key string is allocated.</summary>
    [Benchmark]
    public string MessagePackThenSha256Pooled()
    {
        _buffer.ResetWrittenCount();
        MessagePackSerializer.Serialize(_buffer, _payload, Options);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(_buffer.WrittenSpan, hash);
        return FormatKey(hash);
    }

    /// <summary>Representative arguments: an id, a region, a GUID, then assorted primitives and a small record.</summary>
    public static object?[] SampleArguments(int count)
    {
        object?[] all =
        [
            42, "eu-west", new Guid("7d8f3f8e-4c1b-4d0e-9a53-2f1c6b9e0a11"), 1_234_567_890_123L, true,
            new DateTime(2025, 11, 25, 12, 0, 0, DateTimeKind.Utc), 3.5, "priority", null, new OrderFilter("open", 10),
        ];
        if (count < 0 || count > all.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Between 0 and {all.Length} sample arguments are available.");
        }

        return all[..count];
    }

    private static string FormatKey(ReadOnlySpan<byte> hash) =>
        string.Create(10 + Base64Url.GetEncodedLength(hash.Length), hash, static (chars, bytes) =>
        {
            "cw:orders:".CopyTo(chars);
            Base64Url.EncodeToChars(bytes, chars[10..]);
        });
}
