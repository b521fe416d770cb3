using System.Globalization;
using System.Reflection;

namespace Engine.Bench;

/// <summary>What a benchmark's work is counted in.</summary>
public enum WorkUnit
{
    /// <summary>Floating-point operations; reported as GFLOP/s.</summary>
    Flops,
    /// <summary>Bytes read plus bytes written; reported as GB/s (10^9 bytes per second).</summary>
    Bytes,
}

/// <summary>
/// The work one call of a benchmark method does: <c>Amount * Param^Power</c> of <see cref="Unit"/>, where
/// <see cref="Param"/> (optional) names a <c>[Params]</c> property of the benchmark class. Example, a square
/// matmul of size N: <c>[Throughput(WorkUnit.Flops, 2, Param = nameof(N), Power = 3)]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ThroughputAttribute(WorkUnit unit, double amount) : Attribute
{
    /// <summary>Unit of the work.</summary>
    public WorkUnit Unit { get; } = unit;

    /// <summary>Work per call, or per call and per unit of <see cref="Param"/>^<see cref="Power"/>.</summary>
    public double Amount { get; } = amount;

    /// <summary>Name of a parameter the work scales with; none when null.</summary>
    public string? Param { get; set; }

    /// <summary>Power of <see cref="Param"/> the work scales with.</summary>
    public int Power { get; set; } = 1;

    /// <summary>The work of one call, reading parameter values through <paramref name="parameter"/>.</summary>
    public double Work(Func<string, object?> parameter)
    {
        if (Param is null) return Amount;
        double value = Convert.ToDouble(parameter(Param), CultureInfo.InvariantCulture);
        return Amount * Math.Pow(value, Power);
    }

    /// <summary>The attribute on <paramref name="method"/>, if any.</summary>
    public static ThroughputAttribute? Of(MethodInfo method) => method.GetCustomAttribute<ThroughputAttribute>();

    /// <summary>Throughput in G<see cref="Unit"/>/s for a call that took <paramref name="nanoseconds"/>.</summary>
    public static double Giga(double work, double nanoseconds) => work / nanoseconds;

    /// <summary>Column header for a unit.</summary>
    public static string Header(WorkUnit unit) => unit == WorkUnit.Flops ? "GFLOP/s" : "GB/s";
}
