using Engine.Autodiff;

namespace Engine.Ode;

/// <summary>
/// A solve recorded as one node on the tape, for the Adjoint and Checkpointed methods. Its inputs are the
/// components of z0, the times and the parameters f uses; its outputs are the states stacked per
/// component, as <see cref="Ode"/>.Solve returns them. The forward solves with recording off; the backward pass
/// splits the outputs' gradients by output time, lets the method compute the gradient a_0 reaching z0 through the
/// solve and the parameters' gradients, and adds the output z(t_0) = z0's own gradient and the times' gradients.
/// A new instance serves one call.
/// </summary>
internal abstract class SolveFunction : Function
{
    private readonly Tensor[] parameters;
    private OdeStats? stats;
    private DType timesDType;

    protected SolveFunction(Func<Tensor, OdeState, OdeState> f, OdeOptions options, double[] grid, Tensor[] parameters)
    {
        F = f;
        Options = options;
        Grid = grid;
        this.parameters = parameters;
    }

    protected Func<Tensor, OdeState, OdeState> F { get; }
    protected OdeOptions Options { get; }
    protected double[] Grid { get; }

    /// <summary>|t_N - t_0|, from which fixed steps are sized (<see cref="OdeOptions.Steps"/>).</summary>
    protected double Span => Math.Abs(Grid[^1] - Grid[0]);

    /// <summary>Number of tensors in the state.</summary>
    protected int Components { get; private set; }

    /// <summary>The cost of the solve; set by the forward pass, the backward counts added by backward passes.</summary>
    public OdeStats Stats => stats ?? throw new InvalidOperationException($"{Name}: the forward pass has not run");

    /// <summary>Solves and records the node when a tape tracks an input; returns the stacked states.</summary>
    public OdeState Solve(OdeState z0, Tensor times)
    {
        Components = z0.Count;
        return new OdeState(Apply([.. z0, times, .. parameters]));
    }

    protected sealed override Tensor[] Forward(FunctionContext context, IReadOnlyList<Tensor> inputs)
    {
        var z0 = new OdeState(inputs.Take(Components).ToArray());
        timesDType = inputs[Components].DType;
        using var scope = TensorScope.Begin();
        var dynamics = new Dynamics(F, z0) { RecordsDraws = ReplaysDraws };
        var result = Integrator.Run(dynamics, z0, Grid, Options, Span);
        var stacked = new Tensor[Components];
        for (int j = 0; j < Components; j++)
            stacked[j] = scope.Keep(Tensor.Stack(result.Outputs.Select(o => o[j]).ToArray()));
        stats = new OdeStats(dynamics.Evaluations, result.Accepted, result.Rejected);
        Save(context, z0, stacked, inputs.Skip(Components + 1).ToArray(), result.Plan);
        return stacked;
    }

    /// <summary>
    /// <see cref="Grad.Vjp"/> of code that evaluates f, refusing a field that reads a tensor needing gradients that is
    /// not among the solve's parameters: one f reads only away from (t_0, z0), where the solve looked for them, and
    /// that is not listed in <see cref="OdeOptions.Parameters"/>. Its gradient would otherwise be lost without a word.
    /// </summary>
    protected (Tensor[] Outputs, Tensor[] Vjps) FieldVjp(Func<Tensor[], Tensor[]> f, Tensor[] inputs, Tensor[] cotangents, Func<string> where,
        bool createGraph = false)
    {
        var (outputs, vjps, unlisted) = Grad.VjpReportingUnlisted(f, inputs, cotangents, parameters, createGraph, allowUnused: true);
        if (unlisted.Length == 0) return (outputs, vjps);
        string names = string.Join(", ", unlisted.Select(Describe.Tensor));
        foreach (var tensor in unlisted) tensor.Dispose();
        throw new ArgumentException(
            $"{Name}: f reads {names} {where()}, which need gradients but are not among the solve's {parameters.Length} parameters: " +
            "f did not read them at (t_0, z0), where the solve looked for them, and OdeOptions.Parameters does not list them. List them there");
    }

    /// <summary>Whether the backward pass takes the forward's steps again and so needs the draws of f recorded (<see cref="StepPlan"/>).</summary>
    protected virtual bool ReplaysDraws => false;

    /// <summary>Keeps what <see cref="Differentiate"/> will need (through <paramref name="context"/> or in fields).</summary>
    protected abstract void Save(FunctionContext context, OdeState z0, Tensor[] stacked, Tensor[] parameters, StepPlan plan);

    /// <summary>
    /// The gradient a_0 reaching z0 through the solve (excluding the gradient of the output z(t_0) itself), the
    /// gradients of the parameters that <paramref name="needParameter"/> marks (null for the others), and the state
    /// at each output time (for the times' gradients).
    /// </summary>
    protected abstract (OdeState A0, Tensor?[] ParameterGradients, Func<int, OdeState> States) Differentiate(
        FunctionContext context, Func<int, OdeState> cotangent, bool[] needParameter);

    protected sealed override Tensor?[] Backward(FunctionContext context, IReadOnlyList<Tensor> gradOutputs)
    {
        int m = Components, timesIndex = m;
        bool needTimes = context.NeedsInputGrad(timesIndex);
        if (needTimes) TimeGradients.ThrowIfRecorded(Name);
        var needParameter = Enumerable.Range(0, parameters.Length).Select(p => context.NeedsInputGrad(m + 1 + p)).ToArray();
        var shapes = gradOutputs.Select(g => g.Shape[1..]).ToArray();
        OdeState Cotangent(int i) => new(gradOutputs.Select((g, j) => g.Narrow(0, i, 1).Reshape(shapes[j])).ToArray());

        var (a0, parameterGradients, states) = Differentiate(context, Cotangent, needParameter);
        var grads = new Tensor?[m + 1 + needParameter.Length];
        var g0 = Cotangent(0);
        for (int j = 0; j < m; j++)
            if (context.NeedsInputGrad(j)) grads[j] = a0[j] + g0[j];
        if (needTimes)
        {
            var dynamics = new Dynamics(F, states(0));
            var values = TimeGradients.AtOutputs(dynamics, Grid, states, Cotangent);
            values[0] = TimeGradients.AtStart(dynamics, Grid[0], states(0), a0);
            grads[timesIndex] = TimeGradients.ToGradient(values, timesDType);
            Stats.BackwardEvaluations += dynamics.Evaluations;
        }
        parameterGradients.CopyTo(grads, m + 1);
        return grads;
    }
}
