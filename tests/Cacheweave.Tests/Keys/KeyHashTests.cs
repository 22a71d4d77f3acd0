using System.Security.Cryptography;
using Cacheweave.Keys;
using FsCheck;
using FsCheck.Xunit;

namespace Cacheweave.Tests.Keys;

public sealed class KeyHashTests
{
    [Fact]
    public void Matches_the_platform_sha256_for_every_split_of_every_length_up_to_four_blocks()
    {
        var random = new Random(20261125);
        for (var length = 0; length <= 4 * 64 + 1; length++)
        {
            var input = new byte[length];
            random.NextBytes(input);
            var expected = SHA256.HashData(input);
            foreach (var split in new[] { 0, length / 3, length / 2, Math.Max(0, length - 1), length }.Distinct())
            {
                Assert.Equal(expected, Hash(input.AsSpan(0, split), input.AsSpan(split)));
            }
        }
    }

    [Fact]
    public void Matches_the_published_test_vector_for_abc()
    {
        var hash = Hash("ab"u8, "c"u8);

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Matches_the_platform_sha256_on_a_long_input()
    {
        var input = new byte[100_000];
        new Random(7).NextBytes(input);

        Assert.Equal(SHA256.HashData(input), Hash(input.AsSpan(0, 1_000), input.AsSpan(1_000)));
    }

    [Property(MaxTest = 300)]
    public bool Matches_the_platform_sha256_on_random_inputs(byte[] start, byte[] tail) =>
        SHA256.HashData([.. start, .. tail]).AsSpan().SequenceEqual(Hash(start, tail));

    private static byte[] Hash(ReadOnlySpan<byte> start, ReadOnlySpan<byte> tail)
    {
        var hash = default(Sha256Hash);
        KeyHash.Sha256(start, tail, ref hash);
        return ((ReadOnlySpan<byte>)hash).ToArray();
    }
}
