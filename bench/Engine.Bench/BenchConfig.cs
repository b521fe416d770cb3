using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Engine.Bench;

/// <summary>
/// The configuration for a small, shared VM: the default loggers and exporters, one short job (one launch,
/// 3 warmup and 10 measured iterations, default out-of-process toolchain), the median and the throughput
/// columns. The job is a default one, so a job given on the command line (<c>--job short</c>) replaces it.
/// </summary>
public static class BenchConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("Short10").AsDefault())
        .AddColumn(StatisticColumn.Median)
        .AddColumn(new ThroughputColumn(WorkUnit.Flops), new ThroughputColumn(WorkUnit.Bytes));
}
