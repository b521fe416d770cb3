using System.Diagnostics;
using System.Globalization;
using Engine.Memory;
using Engine.Ode;

namespace Engine.Bench;

/// <summary>
/// <c>--ode</c>: the MLP neural ODE (<see cref="MlpOde"/>) with RK4 in 100 steps and dopri5 at rtol 1e-5: median
/// wall and CPU time of one field evaluation, of the forward solve (and the share of it spent in the field) and
/// of forward plus backward (Direct), function evaluations and steps, the peak
/// bytes in use above the starting point during each, and the bytes the tape holds after the forward solve.
/// Runs with tiered compilation off (<see cref="Untiered"/>); the thread count is Environment.ProcessorCount
/// (set <c>DOTNET_PROCESSOR_COUNT=1</c> for one thread).
/// </summary>
public static class OdeReport
{
    private const int Warmup = 3, Samples = 15;

    public static int Run(string[] args)
    {
        if (!Untiered.IsSet) return Untiered.Restart(["--ode", .. args]);
        Console.WriteLine($"MLP ODE 2-{MlpOde.Hidden}-2 tanh, batch {MlpOde.Batch}, F32, t in [0, 1]; {Environment.ProcessorCount} thread(s), " +
            $"median of {Samples} after {Warmup} warm-up calls");
        using var ode = new MlpOde();
        var field = Median(ode.EvaluateField);
        Console.WriteLine($"One evaluation of the field: {field.Wall * 1000:F1} us wall, {field.Cpu * 1000:F1} us CPU");
        Console.WriteLine($"{"Case",-8} {"Forward",10} {"CPU",10} {"in f",6} {"Fwd+bwd",10} {"CPU",10} {"NFE",5} {"Steps",7} {"Peak fwd",10} {"Peak f+b",10} {"Tape",10}");
        foreach (var (name, options) in new[] { ("rk4", MlpOde.Rk4), ("dopri5", MlpOde.Dopri5) })
        {
            var forward = Median(() => ode.Forward(options));
            var both = Median(() => ode.ForwardBackward(options));
            var stats = ode.Forward(options);
            long peakForward = Peak(() => ode.Forward(options));
            long tape = 0;
            long peakBoth = Peak(() => ode.ForwardBackward(options, held => tape = held));
            string inField = (100 * stats.ForwardEvaluations * field.Cpu / forward.Cpu).ToString("F0", CultureInfo.InvariantCulture) + "%";
            Console.WriteLine($"{name,-8} {Ms(forward.Wall),10} {Ms(forward.Cpu),10} {inField,6} {Ms(both.Wall),10} {Ms(both.Cpu),10} " +
                $"{stats.ForwardEvaluations,5} {$"{stats.AcceptedSteps}/{stats.RejectedSteps}",7} {Mb(peakForward),10} {Mb(peakBoth),10} {Mb(tape),10}");
        }
        Console.WriteLine("CPU: process CPU time per call (all threads; on one thread it is the time the call took when it ran,");
        Console.WriteLine("  robust to other load on the machine); in f: share of the forward CPU time spent in the field (NFE x one");
        Console.WriteLine("  evaluation); Steps: accepted/rejected; Peak: peak bytes in use above the start of the call; Tape: bytes");
        Console.WriteLine("  the tape holds after the forward solve.");
        return 0;
    }

    /// <summary>Median wall time and median process CPU time of one call, in ms.</summary>
    private static (double Wall, double Cpu) Median(Action action)
    {
        for (int i = 0; i < Warmup; i++) action();
        var wall = new double[Samples];
        var cpu = new double[Samples];
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < Samples; i++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            action();
            wall[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
        }
        Array.Sort(wall);
        Array.Sort(cpu);
        return (wall[Samples / 2], cpu[Samples / 2]);
    }

    private static long Peak(Action action)
    {
        var memory = DeviceMemory.Stats(Device.Cpu);
        long before = memory.BytesInUse;
        memory.ResetPeak();
        action();
        return memory.PeakBytesInUse - before;
    }

    private static string Ms(double ms) => ms.ToString("F1", CultureInfo.InvariantCulture) + " ms";

    private static string Mb(long bytes) => (bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture) + " MB";
}
