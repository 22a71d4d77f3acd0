using System.Reflection;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Cacheweave.Benchmarks.Infrastructure;
using Cacheweave.Keys;
using MessagePack;
using MessagePack.Resolvers;

namespace Cacheweave.Benchmarks.Keys;

/// <summary>
/// Building a cache key from a method's identity and its arguments. The baseline is SHA-256 alone over the
/// serialized bytes (what any hashed key pays at least). Beside it: a plain implementation (MessagePack into a new
/// array, SHA-256, format) and Cacheweave's <c>CacheKeyBuilder</c>: for a repeated call (the same arguments every
/// time), for calls cycling through 1,024 and 100,000 argument sets (all remembered, none hashed again), and for
/// arguments never seen before (every call hashes and is remembered).
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("key")]
public class KeyBuildingBenchmarks
{
    private const int WarmCalls = 1024;
    // The smoke test runs each method once: it does not need 100,000 argument sets.
    private static int WideCalls => BenchmarkProfile.Smoke ? 1_024 : 100_000;

    private static readonly MessagePackSerializerOptions PlainOptions = MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance);

    private CacheKeyBuilder _builder = null!;
    private object?[] _arguments = [];
    private object?[][] _distinctArguments = [];
    private object?[] _newArguments = [];
    private object?[] _payload = [];
    private byte[] _bytes = [];
    private int _nextWarm;
    private int _nextWide;
    private int _nextNew;

    /// <summary>How many arguments the method takes.</summary>
    [Params(1, 3, 10)]
    public int Arguments { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var method = typeof(IKeyShapes).GetMethod(Arguments switch { 1 => nameof(IKeyShapes.One), 3 => nameof(IKeyShapes.Three), _ => nameof(IKeyShapes.Ten) })
            ?? throw new MissingMethodException(nameof(IKeyShapes), Arguments.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _builder = new CacheKeyBuilder(method, "orders");
        _arguments = SampleArguments(Arguments, 0);
        _distinctArguments = [.. Enumerable.Range(0, WideCalls).Select(i => SampleArguments(Arguments, i))];
        _newArguments = SampleArguments(Arguments, 0);
        foreach (var arguments in _distinctArguments)
        {
            _builder.Build(arguments);
        }
        _payload = [MethodIdentityOf(method), .. _arguments];
        _bytes = MessagePackSerializer.Serialize(_payload, PlainOptions);
    }

    /// <summary>SHA-256 of the already serialized call: the floor any hashed key pays.</summary>
    [Benchmark(Baseline = true)]
    public byte[] Sha256Only() => SHA256.HashData(_bytes);

    /// <summary>A plain implementation: serialize into a new array, hash, format.</summary>
    [Benchmark]
    public string PlainMessagePackSha256() =>
        "cw:orders:" + Convert.ToHexStringLower(SHA256.HashData(MessagePackSerializer.Serialize(_payload, PlainOptions)));

    /// <summary>Cacheweave's builder, the same arguments every call.</summary>
    [Benchmark]
    public string CacheKeyBuilderRepeated() => _builder.Build(_arguments);

    /// <summary>Cacheweave's builder, arguments cycling through 1,024 sets: a working set it remembers.</summary>
    [Benchmark]
    public string CacheKeyBuilderWarm()
    {
        var i = _nextWarm;
        _nextWarm = (i + 1) & (WarmCalls - 1);
        return _builder.Build(_distinctArguments[i]);
    }

    /// <summary>Cacheweave's builder, arguments cycling through 100,000 sets: all remembered, so none is hashed again.</summary>
    [Benchmark]
    public string CacheKeyBuilderWide()
    {
        var i = _nextWide;
        _nextWide = i + 1 == WideCalls ? 0 : i + 1;
        return _builder.Build(_distinctArguments[i]);
    }

    /// <summary>Cacheweave's builder, arguments never seen before: every call hashes (and is remembered).</summary>
    [Benchmark]
    public string CacheKeyBuilderCold()
    {
        _newArguments[0] = 1_000_000 + _nextNew++;
        return _builder.Build(_newArguments);
    }

    /// <summary>Representative arguments for <paramref name="count"/> parameters of <see cref="IKeyShapes"/>; <paramref name="variant"/> changes the first.</summary>
    public static object?[] SampleArguments(int count, int variant)
    {
        object?[] all =
        [
            42 + variant, "eu-west", new Guid("7d8f3f8e-4c1b-4d0e-9a53-2f1c6b9e0a11"), 1_234_567_890_123L, true,
            new DateTime(2025, 11, 25, 12, 0, 0, DateTimeKind.Utc), 3.5, "priority", null, new OrderFilter("open", 10),
        ];
        if (count is not (1 or 3 or 10))
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The key shapes have 1, 3 or 10 parameters.");
        }

        return all[..count];
    }

    private static string MethodIdentityOf(MethodInfo method) => $"{method.DeclaringType!.FullName}.{method.Name}";
}
