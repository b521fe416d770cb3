using System.Globalization;
using Engine;
using Engine.Backends;
using Engine.Backends.Cuda;
using Engine.GpuBench;

// dotnet Engine.GpuBench.dll [--quick] [--csv results.csv] [--only prefix,...]
//   Times each workload on cuda:0 with CUDA events and prints GB/s (share of the measured copy bandwidth) or TFLOP/s.
//   --quick shrinks the sizes (by 1024 for the memory-bound ones) and takes few samples: a check that the harness runs
//   (the emulator included). --only times just the workloads whose names start with one of the prefixes (e.g. conv,basicblock).
bool quick = args.Contains("--quick");
string? Option(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
string? csvPath = Option("--csv");
string[] only = Option("--only")?.Split(',') ?? [""];

var device = Device.Cuda();
Console.WriteLine($"device: {CudaDevices.Name()}{(CudaDevices.IsEmulated ? " (emulated: times say nothing about a GPU)" : "")}");
Console.WriteLine($"date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"convolutions: {((CudaBackend)BackendRegistry.For(device)).ConvolutionLibrary}");
var rows = new List<string> { "workload,unit,work,median_ms,rate" };
using var timer = new EventTimer(device);
double copyRate = double.NaN;
Console.WriteLine($"{"workload",-22} {"median",12} {"rate",16} {"of copy",8}");
foreach (var workload in Workloads.All(quick ? 1024 : 1).Concat(ConvWorkloads.All(quick)).Where(w => only.Any(prefix => w.Name.StartsWith(prefix, StringComparison.Ordinal))))
{
    using var scope = TensorScope.Begin();
    var call = workload.Prepare(device);
    double milliseconds = timer.Median(call, warmup: quick ? 1 : 5, repetitions: quick ? 3 : 41);
    CudaDevices.AllowTf32 = false;
    double rate = workload.Work / (milliseconds * 1e-3) / (workload.Unit == WorkUnit.Bytes ? 1e9 : 1e12);
    if (workload.Name == "copy") copyRate = rate;
    string share = workload.Unit == WorkUnit.Bytes ? $"{100 * rate / copyRate,7:F1}%" : "";
    Console.WriteLine($"{workload.Name,-22} {milliseconds,9:F3} ms {rate,9:F1} {(workload.Unit == WorkUnit.Bytes ? "GB/s" : "TFLOP/s"),-6} {share}");
    rows.Add(string.Create(CultureInfo.InvariantCulture, $"{workload.Name},{workload.Unit},{workload.Work},{milliseconds},{rate}"));
}
if (csvPath is not null) File.WriteAllLines(csvPath, rows);
return 0;
