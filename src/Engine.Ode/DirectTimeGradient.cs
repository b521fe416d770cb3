using Engine.Autodiff;

namespace Engine.Ode;

/// <summary>
/// The Direct method's gradients for the times (see <see cref="TimeGradients"/>), by two identity nodes around the
/// recorded solve that take the times as an input: <see cref="Start"/> between z0 and the solver's steps, whose
/// backward sees a_0, the gradient reaching z0 through the steps, and <see cref="Outputs"/> on the stacked states,
/// whose backward sees each output's gradient. The nodes pass the states' gradients through unchanged.
/// </summary>
internal abstract class DirectTimeGradient(Func<Tensor, OdeState, OdeState> f, double[] grid, int components) : Function
{
    private DType timesDType;

    protected double[] Grid => grid;

    /// <summary>Set once the solve is done; the backward pass adds its evaluations there.</summary>
    public OdeStats? Stats { get; set; }

    /// <summary>Inputs: the state's components, then the times; outputs: the components.</summary>
    protected sealed override Tensor[] Forward(FunctionContext context, IReadOnlyList<Tensor> inputs)
    {
        timesDType = inputs[components].DType;
        context.SaveForBackward([.. inputs.Take(components)]);
        return [.. inputs.Take(components)];
    }

    protected sealed override Tensor?[] Backward(FunctionContext context, IReadOnlyList<Tensor> gradOutputs)
    {
        var grads = new Tensor?[components + 1];
        for (int j = 0; j < components; j++)
            if (context.NeedsInputGrad(j)) grads[j] = gradOutputs[j];
        if (!context.NeedsInputGrad(components)) return grads;
        TimeGradients.ThrowIfRecorded(Name);
        var saved = context.SavedTensors;
        var dynamics = new Dynamics(f, StateTemplate(saved));
        grads[components] = TimeGradients.ToGradient(TimeTerms(dynamics, saved, gradOutputs), timesDType);
        if (Stats is not null) Stats.BackwardEvaluations += dynamics.Evaluations;
        return grads;
    }

    /// <summary>A state of the solve's shapes, for the dynamics's checks.</summary>
    protected virtual OdeState StateTemplate(IReadOnlyList<Tensor> saved) => new([.. saved]);

    /// <summary>This node's terms of dL/dt, one per output time.</summary>
    protected abstract double[] TimeTerms(Dynamics dynamics, IReadOnlyList<Tensor> saved, IReadOnlyList<Tensor> gradOutputs);

    /// <summary>z0 -&gt; z0 as the solver's starting state; backward gives dL/dt_0 = -&lt;a_0, f(t_0, z0)&gt;.</summary>
    public sealed class Start(Func<Tensor, OdeState, OdeState> f, double[] grid, int components) : DirectTimeGradient(f, grid, components)
    {
        public override string Name => "Ode.Solve (Direct, start time)";

        protected override double[] TimeTerms(Dynamics dynamics, IReadOnlyList<Tensor> saved, IReadOnlyList<Tensor> gradOutputs)
        {
            var values = new double[Grid.Length];
            values[0] = TimeGradients.AtStart(dynamics, Grid[0], new OdeState([.. saved]), new OdeState([.. gradOutputs]));
            return values;
        }
    }

    /// <summary>The stacked states, unchanged; backward gives dL/dt_i = &lt;g_i, f(t_i, z_i)&gt; for i &gt;= 1.</summary>
    public sealed class Outputs(Func<Tensor, OdeState, OdeState> f, double[] grid, int components) : DirectTimeGradient(f, grid, components)
    {
        public override string Name => "Ode.Solve (Direct, output times)";

        protected override OdeState StateTemplate(IReadOnlyList<Tensor> saved) => Row(saved, 0);

        protected override double[] TimeTerms(Dynamics dynamics, IReadOnlyList<Tensor> saved, IReadOnlyList<Tensor> gradOutputs) =>
            TimeGradients.AtOutputs(dynamics, Grid, i => Row(saved, i), i => Row(gradOutputs, i));

        private static OdeState Row(IReadOnlyList<Tensor> stacked, int i) =>
            new(stacked.Select(s => s.Narrow(0, i, 1).Reshape(s.Shape[1..])).ToArray());
    }
}
