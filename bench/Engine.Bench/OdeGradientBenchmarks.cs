using BenchmarkDotNet.Attributes;
using Engine.Ode;

namespace Engine.Bench;

/// <summary>
/// The MLP neural ODE (<see cref="MlpOde"/>): forward plus backward through the solver by each gradient method, with
/// RK4 in 100 steps and with dopri5 at rtol 1e-5.
/// </summary>
public class OdeGradientBenchmarks
{
    private MlpOde ode = null!;

    [Params(OdeGradient.Direct, OdeGradient.Adjoint, OdeGradient.Checkpointed)]
    public OdeGradient Method { get; set; }

    [GlobalSetup]
    public void Setup() => ode = new MlpOde();

    [GlobalCleanup]
    public void Cleanup() => ode.Dispose();

    [Benchmark]
    public void Rk4ForwardBackward() => ode.ForwardBackward(MlpOde.Rk4, Method);

    [Benchmark]
    public void Dopri5ForwardBackward() => ode.ForwardBackward(MlpOde.Dopri5, Method);
}
