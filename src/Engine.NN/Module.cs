using System.Text;
using Engine.Autodiff;

namespace Engine.NN;

/// <summary>
/// Base class of layers and models, like <c>torch.nn.Module</c>: it owns named parameters (tensors that require
/// gradients), named buffers (state such as running statistics) and named child modules, in registration order;
/// names nest with dots (<c>layer1.0.conv1.weight</c>). A module is in training mode until <see cref="Eval"/>.
/// It owns its tensors: they live outside every <see cref="TensorScope"/> and <see cref="Dispose"/> frees them.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly OrderedDictionary<string, Tensor> parameters = [];
    private readonly OrderedDictionary<string, Tensor> buffers = [];
    private readonly OrderedDictionary<string, Module> children = [];
    private bool disposed;

    /// <summary>True in training mode (batch statistics, dropout), false in evaluation mode.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>The module's computation.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Adds a parameter: the module takes ownership of <paramref name="value"/>, which now requires gradients.</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        CheckName(name);
        value.DetachFromScopes();
        value.RequiresGrad = true;
        parameters.Add(name, value);
        return value;
    }

    /// <summary>Adds a buffer: state that is saved and moved with the module but not trained.</summary>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        CheckName(name);
        buffers.Add(name, value.DetachFromScopes());
        return value;
    }

    /// <summary>Adds a child module, whose parameters and buffers appear under <c>name.</c>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        children.Add(name, module);
        return module;
    }

    /// <summary>This module's own parameter <paramref name="name"/>.</summary>
    protected Tensor Parameter(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return parameters[name];
    }

    /// <summary>This module's own buffer <paramref name="name"/>.</summary>
    protected Tensor Buffer(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return buffers[name];
    }

    /// <summary>True when this module itself registered a parameter of that name.</summary>
    protected bool HasParameter(string name) => parameters.ContainsKey(name);

    /// <summary>Every parameter of this module and its descendants, with its dotted name, in registration order.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() =>
        Walk(m => m.parameters);

    /// <summary>Every parameter of this module and its descendants, in registration order.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Every buffer of this module and its descendants, with its dotted name.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() => Walk(m => m.buffers);

    /// <summary>The direct children, with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => children.Select(c => (c.Key, c.Value));

    /// <summary>This module (named "") and every descendant, depth first, with dotted names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        yield return ("", this);
        foreach (var (name, child) in children)
            foreach (var (inner, module) in child.NamedModules())
                yield return (inner.Length == 0 ? name : $"{name}.{inner}", module);
    }

    /// <summary>Number of trainable values.</summary>
    public long ParameterCount => Parameters().Sum(p => p.NumElements);

    /// <summary>The parameters and buffers by dotted name (parameters of each module first), like <c>state_dict()</c>.</summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor>();
        foreach (var (name, module) in NamedModules())
            foreach (var (key, tensor) in module.parameters.Concat(module.buffers))
                state.Add(name.Length == 0 ? key : $"{name}.{key}", tensor);
        return state;
    }

    /// <summary>
    /// Copies the tensors of <paramref name="state"/> into this module's parameters and buffers, matched by name, like
    /// <c>load_state_dict</c>. Shapes and dtypes must match. With <paramref name="strict"/> every tensor of the module must
    /// be present and no other name may appear. Throws before copying anything when something does not fit.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        var problems = new List<string>();
        if (strict)
        {
            var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToArray();
            var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToArray();
            if (missing.Length > 0) problems.Add($"missing: {string.Join(", ", missing)}");
            if (unexpected.Length > 0) problems.Add($"unexpected: {string.Join(", ", unexpected)}");
        }
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var source)) continue;
            if (!source.Shape.AsSpan().SequenceEqual(target.Shape))
                problems.Add($"{name}: shape [{string.Join(", ", source.Shape)}] in the state, [{string.Join(", ", target.Shape)}] in the module");
            else if (source.DType != target.DType)
                problems.Add($"{name}: dtype {source.DType} in the state, {target.DType} in the module");
        }
        if (problems.Count > 0)
            throw new ArgumentException($"LoadStateDict ({GetType().Name}): the state does not fit the module; {string.Join("; ", problems)}");
        using var noGrad = Tape.NoGrad();
        foreach (var (name, target) in own)
            if (state.TryGetValue(name, out var source))
                Devices.CopyInto(source, target);
    }

    /// <summary>Sets training mode on this module and every descendant; returns this module.</summary>
    public Module Train(bool mode = true)
    {
        foreach (var (_, module) in NamedModules()) module.Training = mode;
        return this;
    }

    /// <summary>Sets evaluation mode (running statistics, no dropout); returns this module.</summary>
    public Module Eval() => Train(false);

    /// <summary>
    /// Moves every parameter and buffer to <paramref name="device"/>, replacing (and disposing) the tensors that were
    /// elsewhere; returns this module. Create optimizers after moving, as they hold the parameter tensors.
    /// </summary>
    public Module To(Device device) => Replace(t => t.Device == device ? null : Devices.Copy(t, device));

    /// <summary>Converts every floating parameter and buffer to <paramref name="dtype"/> (integer buffers stay); returns this module.</summary>
    public Module To(DType dtype)
    {
        if (!dtype.IsFloating()) throw new ArgumentException($"Module.To: parameters must be F32 or F64, got {dtype}");
        return Replace(t => !t.DType.IsFloating() || t.DType == dtype ? null : Converted(t, dtype));
    }

    private static Tensor Converted(Tensor t, DType dtype)
    {
        using var noGrad = Tape.NoGrad();
        return t.To(dtype);
    }

    /// <summary>Clears the gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>Frees every parameter and buffer of this module and its descendants. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var t in parameters.Values.Concat(buffers.Values)) t.Dispose();
        foreach (var child in children.Values) child.Dispose();
    }

    /// <summary>The module's settings for <see cref="ToString"/>, like PyTorch's <c>extra_repr</c>.</summary>
    protected virtual string ExtraRepr() => "";

    /// <summary>The module tree, one line per module, like PyTorch's printout.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"{GetType().Name}({ExtraRepr()}");
        if (children.Count == 0) return text.Append(')').ToString();
        text.AppendLine();
        foreach (var (name, child) in children)
            text.Append("  (").Append(name).Append("): ").AppendLine(child.ToString().Replace("\n", "\n  "));
        return text.Append(')').ToString();
    }

    private IEnumerable<(string, Tensor)> Walk(Func<Module, OrderedDictionary<string, Tensor>> select)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        foreach (var (name, module) in NamedModules())
            foreach (var (key, tensor) in select(module))
                yield return (name.Length == 0 ? key : $"{name}.{key}", tensor);
    }

    private Module Replace(Func<Tensor, Tensor?> replacement)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        foreach (var (_, module) in NamedModules())
        {
            foreach (var store in new[] { module.parameters, module.buffers })
                foreach (var key in store.Keys.ToArray())
                {
                    var old = store[key];
                    if (replacement(old) is not { } fresh) continue;
                    fresh.DetachFromScopes();
                    if (store == module.parameters) fresh.RequiresGrad = true;
                    store[key] = fresh;
                    old.Dispose();
                }
        }
        return this;
    }

    private void CheckName(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"{GetType().Name}: '{name}' is not a valid name (non-empty, no dots)");
        if (parameters.ContainsKey(name) || buffers.ContainsKey(name) || children.ContainsKey(name))
            throw new ArgumentException($"{GetType().Name}: '{name}' is already registered");
    }
}
