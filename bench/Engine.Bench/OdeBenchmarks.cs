using BenchmarkDotNet.Attributes;

namespace Engine.Bench;

/// <summary>
/// The MLP neural ODE (<see cref="MlpOde"/>): the forward solve without a tape, with RK4 in 100 steps and with
/// dopri5 at rtol 1e-5 (forward plus backward by each gradient method: <see cref="OdeGradientBenchmarks"/>).
/// <c>--ode</c> prints these times with the function evaluations and memory (<see cref="OdeReport"/>).
/// </summary>
public class OdeBenchmarks
{
    private MlpOde ode = null!;

    [GlobalSetup]
    public void Setup() => ode = new MlpOde();

    [GlobalCleanup]
    public void Cleanup() => ode.Dispose();

    [Benchmark]
    public void Rk4Forward() => ode.Forward(MlpOde.Rk4);

    [Benchmark]
    public void Dopri5Forward() => ode.Forward(MlpOde.Dopri5);
}
