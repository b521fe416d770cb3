using System.Diagnostics;
using System.Globalization;
using Engine.Memory;
using Engine.Ode;

namespace Engine.Bench;

/// <summary>
/// <c>--ode</c>: the MLP neural ODE (<see cref="MlpOde"/>) with RK4 in 100 steps and dopri5 at rtol 1e-5: median
/// wall and CPU time of one field evaluation and of the forward solve without a tape, then for each gradient method
/// the forward solve under a tape and forward plus backward, the function evaluations and steps forward and
/// backward, the peak bytes in use above the starting point during forward plus backward, and the bytes held after
/// the forward solve. Runs with tiered compilation off (<see cref="Untiered"/>); the thread count is
/// Environment.ProcessorCount (set <c>DOTNET_PROCESSOR_COUNT=1</c> for one thread).
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
        var cases = new[] { ("rk4", MlpOde.Rk4), ("dopri5", MlpOde.Dopri5) };
        foreach (var (name, options) in cases)
        {
            var forward = Median(() => ode.Forward(options));
            var stats = ode.Forward(options);
            long peak = Peak(() => ode.Forward(options));
            string inField = (100 * stats.ForwardEvaluations * field.Cpu / forward.Cpu).ToString("F0", CultureInfo.InvariantCulture) + "%";
            Console.WriteLine($"{name} forward without a tape: {Ms(forward.Wall)} wall, {Ms(forward.Cpu)} CPU ({inField} in f), " +
                $"{stats.ForwardEvaluations} evaluations, {stats.AcceptedSteps}/{stats.RejectedSteps} steps, peak {Mb(peak)}");
        }
        Console.WriteLine();
        Console.WriteLine($"{"Case",-20} {"Forward",10} {"CPU",10} {"Fwd+bwd",10} {"CPU",10} {"NFE f/b",9} {"Steps f/b",11} {"Peak f+b",10} {"Held",10}");
        foreach (var (name, options) in cases)
            foreach (var method in Enum.GetValues<OdeGradient>())
            {
                var forward = Median(() => ode.RecordedForward(options, method));
                var both = Median(() => ode.ForwardBackward(options, method));
                long held = 0;
                OdeStats stats = null!;
                long peak = Peak(() => stats = ode.ForwardBackward(options, method, bytes => held = bytes));
                Console.WriteLine($"{$"{name} {method}",-20} {Ms(forward.Wall),10} {Ms(forward.Cpu),10} {Ms(both.Wall),10} {Ms(both.Cpu),10} " +
                    $"{$"{stats.ForwardEvaluations}/{stats.BackwardEvaluations}",9} " +
                    $"{$"{stats.AcceptedSteps}/{stats.BackwardAcceptedSteps}",11} {Mb(peak),10} {Mb(held),10}");
            }
        Console.WriteLine("Forward: the solve under a tape (recorded for Direct, one node for Adjoint and Checkpointed); CPU: process");
        Console.WriteLine("  CPU time per call (all threads; on one thread it is the time the call took when it ran, robust to other");
        Console.WriteLine("  load on the machine); NFE f/b: evaluations of f forward/backward (the adjoint's backward ones each include a");
        Console.WriteLine("  vector-Jacobian product); Steps f/b: accepted steps forward/backward; Peak: peak bytes in use above the");
        Console.WriteLine("  start of the call; Held: bytes held after the forward solve (the tape's saved tensors and the outputs).");
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

    private static string Mb(long bytes) => (bytes / 1e6).ToString(bytes < 1e6 ? "F3" : "F1", CultureInfo.InvariantCulture) + " MB";
}
