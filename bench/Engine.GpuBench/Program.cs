using System.Globalization;
using Engine;
using Engine.GpuBench;

// dotnet Engine.GpuBench.dll [--quick] [--csv results.csv]
//   Times each workload on cuda:0 with CUDA events and prints GB/s (share of the measured copy bandwidth) or TFLOP/s.
//   --quick divides the sizes by 1024 and takes few samples: a check that the harness runs (the emulator included).
bool quick = args.Contains("--quick");
int csvAt = Array.IndexOf(args, "--csv");
string? csvPath = csvAt >= 0 && csvAt + 1 < args.Length ? args[csvAt + 1] : null;

var device = Device.Cuda();
Console.WriteLine($"device: {CudaDevices.Name()}{(CudaDevices.IsEmulated ? " (emulated: times say nothing about a GPU)" : "")}");
Console.WriteLine($"date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
var rows = new List<string> { "workload,unit,work,median_ms,rate" };
using var timer = new EventTimer(device);
double copyRate = double.NaN;
Console.WriteLine($"{"workload",-22} {"median",12} {"rate",16} {"of copy",8}");
foreach (var workload in Workloads.All(quick ? 1024 : 1))
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
