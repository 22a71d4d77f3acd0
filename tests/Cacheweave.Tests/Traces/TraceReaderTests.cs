namespace Cacheweave.Tests.Traces;

public sealed class TraceReaderTests
{
    [Fact]
    public void An_arc_line_stands_for_count_consecutive_blocks()
    {
        var requests = Read("10 3 0 0\n7 1 0 0\n", TraceFormat.Arc);

        Assert.Equal([10L, 11, 12, 7], requests);
    }

    [Fact]
    public void An_arc_trace_ignores_extra_fields_blank_lines_and_crlf()
    {
        var requests = Read("5 2 99 1 extra\r\n\r\n  8   1\r\n", TraceFormat.Arc);

        Assert.Equal([5L, 6, 8], requests);
    }

    [Fact]
    public void An_arc_line_of_zero_count_requests_nothing()
    {
        Assert.Empty(Read("4 0 0 0\n", TraceFormat.Arc));
    }

    [Theory]
    [InlineData("12\n*\n")]
    [InlineData("12 x 0 0\n")]
    [InlineData("12\n")]
    public void A_malformed_arc_line_fails_naming_its_line_number(string text)
    {
        var error = Assert.Throws<FormatException>(() => Read("1 1 0 0\n" + text, TraceFormat.Arc));

        Assert.Contains("Line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lirs_trace_is_one_block_per_line()
    {
        Assert.Equal([3L, 1, 3, 0], Read("3\n1\n3\n0\n", TraceFormat.Lirs));
    }

    [Fact]
    public void A_lirs_trace_skips_lines_that_are_not_a_number_and_handles_crlf()
    {
        var requests = Read("1\r\n*\r\n\r\n2\r\n  3  \r\n-4\r\nx5\r\n6", TraceFormat.Lirs);

        Assert.Equal([1L, 2, 3, 6], requests);
    }

    [Fact]
    public void The_oltp_trace_has_the_published_request_and_key_counts()
    {
        var requests = TraceReader.ReadFile(TraceDirectory.GetFile("OLTP.lis.gz"), TraceFormat.Arc);

        Assert.Equal(914_145, requests.Length);
        Assert.Equal(186_880, requests.Distinct().Count());
    }

    [Theory]
    [InlineData("cs.trace.gz", 6_781, 1_409)]
    [InlineData("gli.trace.gz", 6_015, 2_529)]
    [InlineData("loop.trace.gz", 505_500, 1_011)]
    public void A_lirs_trace_has_the_published_request_and_key_counts(string fileName, int requestCount, int distinctKeys)
    {
        var requests = TraceReader.ReadFile(TraceDirectory.GetFile(fileName), TraceFormat.Lirs);

        Assert.Equal(requestCount, requests.Length);
        Assert.Equal(distinctKeys, requests.Distinct().Count());
    }

    private static long[] Read(string text, TraceFormat format)
    {
        using var reader = new StringReader(text);
        return [.. TraceReader.Read(reader, format)];
    }
}
