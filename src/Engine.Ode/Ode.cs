using Engine.Autodiff;

namespace Engine.Ode;

/// <summary>
/// Solves initial value problems dz/dt = f(t, z), z(times[0]) = z0, like torchdiffeq's <c>odeint</c>:
/// <code>
/// var solution = Ode.Solve((t, z) => Tensor.Linear(Tensor.Linear(z, w1, b1).Tanh(), w2, b2), z0, times,
///                          new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-5, Atol = 1e-7 });
/// var states = solution.States;   // [times, ...z0.shape]
/// </code>
/// f is any tensor code (closing over parameters); t reaches it as a 0-dimensional tensor of the state's
/// dtype, valid during the call. Times may increase or decrease (integration backwards in time). Under an active
/// <see cref="Tape"/> the solve is differentiated as <see cref="OdeOptions.Gradient"/> says.
/// </summary>
public static class Ode
{
    /// <summary>Solves for a single-tensor state; returns the states stacked as [times, ...z0.shape].</summary>
    public static OdeSolution<Tensor> Solve(Func<Tensor, Tensor, Tensor> f, Tensor z0, Tensor times, OdeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(z0);
        var solution = Solve((t, z) => new OdeState(f(t, z[0])), new OdeState(z0), times, options);
        return new OdeSolution<Tensor>(solution.States[0], solution.Stats);
    }

    /// <summary>Solves for a tuple state; returns one tensor per component, each stacked as [times, ...component.shape].</summary>
    public static OdeSolution<OdeState> Solve(Func<Tensor, OdeState, OdeState> f, OdeState z0, Tensor times, OdeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(z0);
        options ??= new OdeOptions();
        options.Validate();
        CheckState(z0);
        var grid = ReadTimes(times);
        if (!StateOps.IsFinite(z0))
            throw new ArgumentException($"Ode.Solve: z0 contains NaN or infinite values (at t = {Describe.Number(grid[0])})");

        using var scope = TensorScope.Begin();
        var dynamics = new Dynamics(f, z0);
        var tableau = options.Solver;
        OdeState[] outputs;
        int accepted, rejected = 0;
        if (options.IsFixedStep)
        {
            double stepSize = options.StepSize ?? Math.Abs(grid[^1] - grid[0]) / options.Steps!.Value;
            (outputs, accepted) = FixedGridIntegrator.Integrate(tableau, dynamics, z0, grid, stepSize, options.MaxSteps);
        }
        else
        {
            (outputs, accepted, rejected) = AdaptiveIntegrator.Integrate(tableau, dynamics, z0, grid, options);
        }
        var stacked = Enumerable.Range(0, z0.Count).Select(j => scope.Keep(Tensor.Stack(outputs.Select(o => o[j]).ToArray()))).ToArray();
        return new OdeSolution<OdeState>(new OdeState(stacked), new OdeStats(dynamics.Evaluations, accepted, rejected));
    }

    private static void CheckState(OdeState z0)
    {
        var first = z0[0];
        for (int i = 0; i < z0.Count; i++)
        {
            var component = z0[i];
            if (!component.DType.IsFloating() || component.DType != first.DType || component.Device != first.Device)
                throw new ArgumentException(
                    $"Ode.Solve: component {i} of z0 is {Describe.Tensor(component)}; the state must be F32 or F64, with one dtype and device (component 0 is {Describe.Tensor(first)})");
        }
    }

    /// <summary>The output times as doubles: a 1-D floating tensor of finite, strictly increasing or strictly decreasing values.</summary>
    private static double[] ReadTimes(Tensor times)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (times.Rank != 1 || times.NumElements == 0 || !times.DType.IsFloating())
            throw new ArgumentException($"Ode.Solve: times must be a non-empty 1-D F32 or F64 tensor, got {Describe.Tensor(times)}");
        if (Tape.IsRecording && times.RequiresGrad)
            throw new ArgumentException(
                "Ode.Solve: times require gradients, but the Direct method treats them as constants (step sizes are not differentiated); pass times.Detach()");
        var grid = times.ToArray<double>();
        for (int i = 0; i < grid.Length; i++)
            if (!double.IsFinite(grid[i]))
                throw new ArgumentException($"Ode.Solve: times[{i}] is {grid[i]}; times must be finite");
        if (grid.Length < 2) return grid;
        double direction = Math.Sign(grid[^1] - grid[0]);
        for (int i = 1; i < grid.Length; i++)
            if (!(direction * (grid[i] - grid[i - 1]) > 0))
                throw new ArgumentException(
                    $"Ode.Solve: times must be strictly increasing or strictly decreasing, but times[{i - 1}] = {Describe.Number(grid[i - 1])} " +
                    $"and times[{i}] = {Describe.Number(grid[i])}");
        return grid;
    }
}
