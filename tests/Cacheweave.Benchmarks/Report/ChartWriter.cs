using ScottPlot;

namespace Cacheweave.Benchmarks.Report;

/// <summary>Draws the report's charts with ScottPlot and saves them as PNG files.</summary>
public sealed class ChartWriter(string directory)
{
    private const int Width = 900;

    /// <summary>The folder the charts are written to.</summary>
    public string Directory { get; } = directory;

    /// <summary>
    /// Horizontal bars, one group per label and one bar per series within it (e.g. a cache per label and a
    /// capacity per series). Returns the file name written.
    /// </summary>
    public string Bars(string fileName, string title, string axisLabel, IReadOnlyList<string> labels, IReadOnlyList<(string Name, double?[] Values)> series)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(series);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var groupWidth = series.Count + 1;
        for (var s = 0; s < series.Count; s++)
        {
            var bars = new List<Bar>();
            for (var i = 0; i < labels.Count; i++)
            {
                if (series[s].Values[i] is not { } value)
                {
                    continue;
                }

                // The first label at the top: positions run downwards.
                bars.Add(new Bar
                {
                    Position = -((i * groupWidth) + s),
                    Value = value,
                    FillColor = palette.GetColor(s),
                    Label = FormatValue(value),
                });
            }

            var plottable = plot.Add.Bars(bars);
            plottable.Horizontal = true;
            plottable.LegendText = series[s].Name;
        }

        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var i = 0; i < labels.Count; i++)
        {
            ticks.AddMajor(-((i * groupWidth) + ((series.Count - 1) / 2.0)), labels[i]);
        }

        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Margins(left: 0, right: 0.15);
        plot.Title(title);
        plot.XLabel(axisLabel);
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        if (series.Count > 1)
        {
            plot.ShowLegend(Alignment.LowerRight);
        }

        var height = Math.Max(240, 90 + (labels.Count * groupWidth * 16));
        return Save(plot, fileName, height);
    }

    /// <summary>Lines of y against x, one per series (e.g. hit ratio against capacity, a line per cache). Returns the file name written.</summary>
    public string Lines(string fileName, string title, string xLabel, string yLabel, IReadOnlyList<(string Name, double[] X, double[] Y)> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var s = 0; s < series.Count; s++)
        {
            var line = plot.Add.Scatter(series[s].X, series[s].Y);
            line.LegendText = series[s].Name;
            line.Color = palette.GetColor(s);
            line.LineWidth = 2;
            line.MarkerSize = 6;
        }

        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        return Save(plot, fileName, 520);
    }

    private static string FormatValue(double value) => value switch
    {
        >= 100 => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
    };

    private string Save(Plot plot, string fileName, int height)
    {
        System.IO.Directory.CreateDirectory(Directory);
        plot.SavePng(Path.Combine(Directory, fileName), Width, height);
        return fileName;
    }
}
