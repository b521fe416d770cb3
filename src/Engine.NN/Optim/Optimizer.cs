using Engine.Autodiff;

namespace Engine.NN;

/// <summary>
/// Updates a fixed list of parameters from their gradients, like <c>torch.optim.Optimizer</c> with one parameter
/// group. <see cref="Step"/> runs one fused backend update per parameter that has a gradient (none for parameters
/// without one), under <see cref="Tape.NoGrad"/>. State tensors (moments, momentum buffers) are created on the first
/// step, live outside every scope, and are freed by <see cref="Dispose"/>; <see cref="StateDict"/> and
/// <see cref="LoadStateDict"/> save and restore them, so training resumes exactly.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly Tensor[] parameters;
    private readonly long[] steps;
    private readonly Dictionary<string, Tensor>[] state;
    private bool disposed;

    /// <summary>Takes the parameters (in order; their positions name the state) and the initial learning rate.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        this.parameters = parameters.ToArray();
        if (this.parameters.Length == 0) throw new ArgumentException($"{GetType().Name}: got no parameters to optimise");
        if (!(learningRate >= 0)) throw new ArgumentException($"{GetType().Name}: learning rate must be non-negative, got {learningRate}");
        steps = new long[this.parameters.Length];
        state = [.. this.parameters.Select(_ => new Dictionary<string, Tensor>())];
        LearningRate = learningRate;
    }

    /// <summary>The learning rate of the next step; schedulers set it.</summary>
    public double LearningRate { get; set; }

    /// <summary>The parameters, in the order their state is numbered.</summary>
    public IReadOnlyList<Tensor> Parameters => parameters;

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var noGrad = Tape.NoGrad();
        for (int i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].Grad is not { } gradient) continue;
            steps[i]++;
            Update(parameters[i], gradient, steps[i], state[i]);
        }
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters) p.ZeroGrad();
    }

    /// <summary>
    /// One update of <paramref name="parameter"/> (its <paramref name="step"/>-th, from 1) with its state, whose tensors
    /// are created by <see cref="StateTensor"/>.
    /// </summary>
    protected abstract void Update(Tensor parameter, Tensor gradient, long step, Dictionary<string, Tensor> state);

    /// <summary>The state tensor <paramref name="name"/> of a parameter, created as zeros of its shape the first time.</summary>
    protected static Tensor StateTensor(Dictionary<string, Tensor> state, string name, Tensor parameter)
    {
        if (!state.TryGetValue(name, out var tensor))
            state[name] = tensor = parameter.ZerosLike().DetachFromScopes();
        return tensor;
    }

    /// <summary>
    /// The state by name, like PyTorch's optimizer <c>state_dict()['state']</c> flattened: <c>state.{i}.{name}</c> for
    /// parameter i's tensors and <c>state.{i}.step</c> (an I64 scalar, for parameters stepped at least once). The
    /// tensors are copies the caller owns.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var result = new OrderedDictionary<string, Tensor>();
        for (int i = 0; i < parameters.Length; i++)
        {
            if (steps[i] == 0) continue;
            result.Add($"state.{i}.step", Tensor.Full([], steps[i], DType.I64).DetachFromScopes());
            foreach (var (name, tensor) in state[i].OrderBy(s => s.Key, StringComparer.Ordinal))
                result.Add($"state.{i}.{name}", tensor.Clone().DetachFromScopes());
        }
        return result;
    }

    /// <summary>Restores state saved by <see cref="StateDict"/> (copying it); parameters with no saved state start afresh.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> saved)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        foreach (var key in saved.Keys)
        {
            var parts = key.Split('.');
            if (parts.Length != 3 || parts[0] != "state" || !int.TryParse(parts[1], out int i) || i < 0 || i >= parameters.Length)
                throw new ArgumentException($"{GetType().Name}.LoadStateDict: unexpected entry '{key}' for {parameters.Length} parameters");
        }
        for (int i = 0; i < parameters.Length; i++)
        {
            foreach (var tensor in state[i].Values) tensor.Dispose();
            state[i].Clear();
            steps[i] = saved.TryGetValue($"state.{i}.step", out var step) ? step.Item<long>() : 0;
            foreach (var (key, tensor) in saved)
            {
                string prefix = $"state.{i}.";
                if (!key.StartsWith(prefix, StringComparison.Ordinal) || key == $"state.{i}.step") continue;
                if (!tensor.Shape.AsSpan().SequenceEqual(parameters[i].Shape) || tensor.DType != parameters[i].DType)
                    throw new ArgumentException(
                        $"{GetType().Name}.LoadStateDict: '{key}' is [{string.Join(", ", tensor.Shape)}] {tensor.DType}, parameter {i} is [{string.Join(", ", parameters[i].Shape)}] {parameters[i].DType}");
                var copy = StateTensor(state[i], key[prefix.Length..], parameters[i]);
                Devices.CopyInto(tensor, copy);
            }
        }
    }

    /// <summary>Frees the state tensors (the parameters belong to their module).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var tensor in state.SelectMany(s => s.Values)) tensor.Dispose();
    }
}
