using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Engine.Bench;

/// <summary>
/// A summary column with the throughput of benchmarks marked <see cref="ThroughputAttribute"/> in one unit:
/// the work of one call divided by the measured mean time of one call. Benchmarks counted in the other unit,
/// or without the attribute, show "-".
/// </summary>
public sealed class ThroughputColumn(WorkUnit unit) : IColumn
{
    public string Id => $"{nameof(ThroughputColumn)}.{unit}";
    public string ColumnName => ThroughputAttribute.Header(unit);
    public bool AlwaysShow => false;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => (int)unit;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => unit == WorkUnit.Flops
        ? "Floating-point operations per call / mean time, in 10^9 per second"
        : "Bytes read + written per call / mean time, in 10^9 bytes per second";

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => Attribute(c)?.Unit == unit);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var attribute = Attribute(benchmarkCase);
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (attribute is null || attribute.Unit != unit || mean is not > 0) return "-";
        double work = attribute.Work(name => benchmarkCase.Parameters[name]);
        return ThroughputAttribute.Giga(work, mean.Value).ToString("F2", CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;

    private static ThroughputAttribute? Attribute(BenchmarkCase benchmarkCase) =>
        ThroughputAttribute.Of(benchmarkCase.Descriptor.WorkloadMethod);
}
