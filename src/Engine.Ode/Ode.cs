using Engine.Autodiff;
using Engine.Random;

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
/// <see cref="Tape"/> the solve is differentiated as <see cref="OdeOptions.Gradient"/> says, for z0, the times and every
/// tensor f uses that the tape tracks (see <see cref="OdeOptions.Parameters"/>).
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

        CheckParameters(z0, options);
        if (options.Gradient == OdeGradient.Direct) return SolveDirect(f, z0, times, grid, options);

        var captured = FindUnlistedParameters(f, z0, grid[0], options);
        try
        {
            if (options.Parameters.Count > 0 && captured.Length > 0)
                throw new ArgumentException(
                    $"Ode.Solve: f uses {string.Join(", ", captured.Select(Describe.Tensor))}, which need gradients but are not in " +
                    $"OdeOptions.Parameters ({options.Parameters.Count} listed); with the {options.Gradient} method they would get none. " +
                    "List them too, or leave Parameters empty and the solve finds what f uses");
            Tensor[] parameters = options.Parameters.Count > 0 ? [.. options.Parameters] : captured;
            SolveFunction function = options.Gradient == OdeGradient.Adjoint
                ? new AdjointSolve(f, options, grid, parameters)
                : new CheckpointedSolve(f, options, grid, parameters);
            var states = function.Solve(z0, times);
            return new OdeSolution<OdeState>(states, function.Stats);
        }
        finally
        {
            foreach (var handle in captured) handle.Dispose();
        }
    }

    /// <summary>
    /// The tensors f reads that the recording tapes track and that are not listed in <see cref="OdeOptions.Parameters"/>,
    /// found by evaluating f once at (t_0, z0) on a probe tape (<see cref="Grad.CapturedTensors"/>): with the Adjoint and
    /// Checkpointed methods the solve is one node whose inputs must include every one of them. Generators f draws from
    /// are rewound after the probe, so the solve draws what it would have drawn without it.
    /// </summary>
    private static Tensor[] FindUnlistedParameters(Func<Tensor, OdeState, OdeState> f, OdeState z0, double t0, OdeOptions options)
    {
        if (!Tape.IsRecording) return [];
        Tensor[] captured = [];
        Generator.RunAndRewind(() => captured = Grad.CapturedTensors(() =>
        {
            using var scope = TensorScope.Begin();
            using var t = Tensor.Scalar(t0, z0[0].DType, z0[0].Device);
            f(t, new OdeState(z0.Select(c => c.Detach()).ToArray()));
        }, options.Parameters));
        return captured;
    }

    /// <summary>The solver's steps recorded like any ops; identity nodes around them give the times their gradients when they need them.</summary>
    private static OdeSolution<OdeState> SolveDirect(Func<Tensor, OdeState, OdeState> f, OdeState z0, Tensor times, double[] grid, OdeOptions options)
    {
        using var scope = TensorScope.Begin();
        bool timesNeedGradients = Tape.IsRecording && times.RequiresGrad;
        var start = timesNeedGradients ? new DirectTimeGradient.Start(f, grid, z0.Count) : null;
        var first = start is null ? z0 : new OdeState(start.Apply([.. z0, times]));
        var dynamics = new Dynamics(f, z0);
        var result = Integrator.Run(dynamics, first, grid, options, Math.Abs(grid[^1] - grid[0]));
        // The output at t_0 is z0 itself, whose gradient does not involve t_0.
        result.Outputs[0] = z0;
        var stacked = Enumerable.Range(0, z0.Count).Select(j => Tensor.Stack(result.Outputs.Select(o => o[j]).ToArray())).ToArray();
        var stats = new OdeStats(dynamics.Evaluations, result.Accepted, result.Rejected);
        if (start is not null)
        {
            var outputs = new DirectTimeGradient.Outputs(f, grid, z0.Count) { Stats = stats };
            start.Stats = stats;
            stacked = outputs.Apply([.. stacked, times]);
        }
        foreach (var component in stacked) scope.Keep(component);
        return new OdeSolution<OdeState>(new OdeState(stacked), stats);
    }

    private static void CheckParameters(OdeState z0, OdeOptions options)
    {
        for (int p = 0; p < options.Parameters.Count; p++)
        {
            var parameter = options.Parameters[p];
            for (int j = 0; j < z0.Count; j++)
                if (ReferenceEquals(parameter, z0[j]))
                    throw new ArgumentException($"Ode.Solve: OdeOptions.Parameters[{p}] is component {j} of z0; z0 gets its gradient anyway, list only what f closes over");
            if (parameter.Device != z0[0].Device)
                throw new ArgumentException($"Ode.Solve: OdeOptions.Parameters[{p}] is {Describe.Tensor(parameter)}, but the state is on {z0[0].Device}");
        }
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
