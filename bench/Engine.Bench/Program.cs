using BenchmarkDotNet.Running;
using Engine.Bench;

// dotnet run -c Release -- [BenchmarkDotNet arguments, e.g. --filter '*MatMul*']
// dotnet run -c Release -- --quick [--filter '*Sum*']   (Stopwatch loop, a few seconds, no BenchmarkDotNet)
// dotnet run -c Release -- --ode                        (the MLP neural ODE: times, evaluations, memory)
if (args.Contains("--quick"))
    return QuickBench.Run(args.Where(a => a != "--quick").ToArray());
if (args.Contains("--ode"))
    return OdeReport.Run(args.Where(a => a != "--ode").ToArray());

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchConfig.Create());
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
