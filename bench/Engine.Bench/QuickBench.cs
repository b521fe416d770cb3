using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;

namespace Engine.Bench;

/// <summary>
/// <c>--quick</c>: the same benchmark classes timed with a Stopwatch instead of BenchmarkDotNet, for a check in
/// seconds. Each case is warmed up, then timed in samples of enough calls to last about 2 ms; the table shows
/// the median sample (per operation, for <c>OperationsPerInvoke</c>) and the throughput from its
/// <see cref="ThroughputAttribute"/>. Arguments: glob patterns
/// over <c>Namespace.Class.Method</c> like BenchmarkDotNet's, bare or after <c>--filter</c>.
/// The run happens in a child process with tiered compilation off (<see cref="Untiered"/>).
/// </summary>
public static class QuickBench
{
    private static readonly TimeSpan WarmupTime = TimeSpan.FromMilliseconds(50), SampleTime = TimeSpan.FromMilliseconds(2),
        MeasureTime = TimeSpan.FromMilliseconds(400), SlowCall = TimeSpan.FromMilliseconds(500);
    private const int MinSamples = 3, MaxSamples = 25;

    public static int Run(string[] args)
    {
        if (!Untiered.IsSet) return Untiered.Restart(["--quick", .. args]);
        var patterns = args.Where(a => a != "--filter")
            .Select(a => new Regex("^" + Regex.Escape(a).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase))
            .ToArray();
        bool Selected(MethodInfo m) => patterns.Length == 0 || patterns.Any(p => p.IsMatch($"{m.DeclaringType!.FullName}.{m.Name}"));

        int count = 0;
        foreach (var type in typeof(QuickBench).Assembly.GetTypes().OrderBy(t => t.Name))
        {
            var methods = type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null && Selected(m)).ToArray();
            if (methods.Length == 0) continue;
            foreach (var parameters in ParameterSets(type))
            {
                object instance = Activator.CreateInstance(type)!;
                foreach (var (property, value) in parameters) property.SetValue(instance, value);
                Invoke<GlobalSetupAttribute>(instance);
                string suffix = parameters.Count == 0 ? "" : "(" + string.Join(", ", parameters.Select(p => $"{p.Property.Name}={p.Value}")) + ")";
                foreach (var method in methods)
                {
                    if (count == 0) Console.WriteLine($"{"Benchmark",-48} {"Median",12} {"GFLOP/s",9} {"GB/s",9} {"Calls",9}");
                    var (median, calls) = Measure(method.CreateDelegate<Action>(instance));
                    median /= method.GetCustomAttribute<BenchmarkAttribute>()!.OperationsPerInvoke;
                    var throughput = ThroughputAttribute.Of(method);
                    double work = throughput?.Work(name => type.GetProperty(name)!.GetValue(instance)) ?? 0;
                    string Rate(WorkUnit unit) => throughput?.Unit == unit
                        ? ThroughputAttribute.Giga(work, median.TotalNanoseconds).ToString("F2", CultureInfo.InvariantCulture) : "-";
                    Console.WriteLine($"{type.Name.Replace("Benchmarks", "") + "." + method.Name + suffix,-48} {Format(median),12} {Rate(WorkUnit.Flops),9} {Rate(WorkUnit.Bytes),9} {calls,9}");
                    count++;
                }
                Invoke<GlobalCleanupAttribute>(instance);
            }
        }
        if (count == 0) Console.Error.WriteLine($"--quick: no benchmark matches {string.Join(" ", args)}");
        return count == 0 ? 1 : 0;
    }

    /// <summary>Median time of one call, and the number of calls timed.</summary>
    private static (TimeSpan Median, int Calls) Measure(Action action)
    {
        // Warm up with at least 3 calls and 50 ms (one call when a call takes over half a second); the last
        // call, past the first allocation and page faults, estimates the time per call.
        var watch = Stopwatch.StartNew();
        int warmup = 0;
        double perCall;
        do
        {
            long start = Stopwatch.GetTimestamp();
            action();
            perCall = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
            warmup++;
        }
        while ((warmup < 3 || watch.Elapsed < WarmupTime) && perCall < SlowCall.TotalNanoseconds);

        int inner = Math.Max(1, (int)(SampleTime.TotalNanoseconds / perCall));
        int samples = Math.Clamp((int)(MeasureTime.TotalNanoseconds / (perCall * inner)), MinSamples, MaxSamples);
        var times = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < inner; i++) action();
            times[s] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / inner;
        }
        Array.Sort(times);
        double median = samples % 2 == 1 ? times[samples / 2] : (times[samples / 2 - 1] + times[samples / 2]) / 2;
        return (TimeSpan.FromTicks((long)(median / 100)), samples * inner);
    }

    /// <summary>Every combination of the type's <c>[Params]</c> values (one empty set when it has none).</summary>
    private static List<List<(PropertyInfo Property, object? Value)>> ParameterSets(Type type)
    {
        var sets = new List<List<(PropertyInfo, object?)>> { new() };
        foreach (var property in type.GetProperties())
        {
            if (property.GetCustomAttribute<ParamsAttribute>() is not { } values) continue;
            sets = sets.SelectMany(set => values.Values.Select(v => new List<(PropertyInfo, object?)>(set) { (property, v) })).ToList();
        }
        return sets;
    }

    private static void Invoke<TAttribute>(object instance) where TAttribute : Attribute
    {
        foreach (var method in instance.GetType().GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
            method.Invoke(instance, null);
    }

    private static string Format(TimeSpan t) => t.TotalMilliseconds >= 1
        ? $"{t.TotalMilliseconds:F2} ms"
        : $"{t.TotalMicroseconds:F1} us";
}
