using BenchmarkDotNet.Running;
using Engine.Bench;

// dotnet run -c Release -- [BenchmarkDotNet arguments, e.g. --filter '*MatMul*']
// dotnet run -c Release -- --quick [--filter '*Sum*']   (Stopwatch loop, a few seconds, no BenchmarkDotNet)
if (args.Contains("--quick"))
    return QuickBench.Run(args.Where(a => a != "--quick").ToArray());

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchConfig.Create());
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
