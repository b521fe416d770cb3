namespace Engine.Autodiff;

public sealed partial class Tape
{
    /// <summary>Gradient of the scalar <paramref name="output"/> with respect to each of <paramref name="inputs"/>.</summary>
    public Tensor[] Gradients(Tensor output, params Tensor[] inputs) => Gradients([output], [null], inputs);

    /// <summary>Gradient of the scalar <paramref name="output"/>, with the options of the full overload.</summary>
    public Tensor[] Gradients(Tensor output, Tensor[] inputs, bool createGraph, bool allowUnused = false) =>
        Gradients([output], [null], inputs, createGraph, allowUnused);

    /// <summary>
    /// Vector-Jacobian products: the gradient of sum_i &lt;cotangents[i], outputs[i]&gt; with respect to each input.
    /// A null cotangent means 1 and needs a one-element output. An input the outputs do not depend on is an
    /// error naming it, unless <paramref name="allowUnused"/> (then its gradient is zeros). With
    /// <paramref name="createGraph"/> the backward pass is recorded on the tapes of the current frame, so the
    /// returned gradients can be differentiated again. The returned tensors belong to the caller's current scope.
    /// </summary>
    public Tensor[] Gradients(Tensor[] outputs, Tensor?[] cotangents, Tensor[] inputs, bool createGraph = false, bool allowUnused = false)
    {
        ThrowIfDisposed();
        if (outputs.Length != cotangents.Length)
            throw new ArgumentException($"Gradients: {outputs.Length} outputs but {cotangents.Length} cotangents");
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].ThrowIfDisposed();
            if (!inputs[i].DType.IsFloating())
                throw new ArgumentException($"Gradients: input {i} is {OpDescription(inputs[i])}; only floating tensors have gradients");
        }
        var ids = Array.ConvertAll(inputs, x => x.EnsureIdentity());
        var grads = Backpropagate(outputs, cotangents, ids, createGraph);
        var results = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (grads[i] is { } g)
            {
                results[i] = g;
                continue;
            }
            if (!allowUnused)
            {
                foreach (var r in results) r?.Dispose();
                for (int j = i + 1; j < grads.Length; j++) grads[j]?.Dispose();
                throw new InvalidOperationException(
                    $"Gradients: input {i} ({OpDescription(inputs[i])}) was not used to compute the outputs on this tape, so it has no gradient; " +
                    "check the wiring, or pass allowUnused: true to get zeros");
            }
            results[i] = Tensor.Zeros(inputs[i].Dims, inputs[i].DType, inputs[i].Device);
        }
        return results;
    }

    /// <summary>
    /// Back-propagates the one-element <paramref name="loss"/> and adds the gradient into <see cref="Tensor.Grad"/>
    /// of every leaf with <see cref="Tensor.RequiresGrad"/> that it depends on. With <paramref name="createGraph"/>
    /// the accumulated gradients are themselves recorded (for gradient penalties).
    /// </summary>
    public void Backward(Tensor loss, bool createGraph = false)
    {
        ThrowIfDisposed();
        var leaves = new List<GradIdentity>();
        var seen = new HashSet<GradIdentity>(IdentityComparer.Instance);
        foreach (var node in nodes)
            foreach (var input in node.Inputs)
                if (input.Id is { RequiresGrad: true, OwnerDisposed: false } id && seen.Add(id)) leaves.Add(id);
        var grads = Backpropagate([loss], [null], [.. leaves], createGraph);
        using var mode = createGraph ? EnableGrad() : NoGrad();
        for (int i = 0; i < leaves.Count; i++)
        {
            if (grads[i] is not { } g) continue;
            var leaf = leaves[i];
            TensorScope.Detach(g);
            if (leaf.Grad is { } previous)
            {
                leaf.Grad = previous.Add(g);
                TensorScope.Detach(leaf.Grad);
                previous.Dispose();
                g.Dispose();
            }
            else
            {
                leaf.Grad = g;
            }
        }
    }

    /// <summary>
    /// Walks this tape's nodes in reverse recording order (a topological order), asking each rule only for the
    /// gradients that lead to a requested input, and returns the gradient of each of <paramref name="inputs"/>
    /// (null where the outputs do not depend on it).
    /// </summary>
    private Tensor?[] Backpropagate(Tensor[] outputs, Tensor?[] cotangents, GradIdentity[] inputs, bool createGraph)
    {
        var relevant = RelevantIdentities(inputs);
        var wanted = new HashSet<GradIdentity>(inputs, IdentityComparer.Instance);
        var grads = new Dictionary<GradIdentity, Tensor>(IdentityComparer.Instance);
        var frame = createGraph ? default : GradFrame.PushIsolated(enabled: false);
        var mode = createGraph ? EnableGrad() : default;
        try
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                var output = outputs[i];
                output.ThrowIfDisposed();
                if (!output.DType.IsFloating())
                    throw new ArgumentException($"Gradients: output {i} is {OpDescription(output)}; only floating outputs can be differentiated");
                Accumulate(grads, output.EnsureIdentity(), output.Dims, output.DType, Seed(output, cotangents[i]), "Gradients");
            }
            for (int n = nodes.Count - 1; n >= 0; n--)
                BackpropagateNode(nodes[n], grads, relevant, wanted);
            var results = new Tensor?[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                if (!grads.TryGetValue(inputs[i], out var g)) continue;
                results[i] = Array.IndexOf(results, g, 0, i) >= 0 ? g.Alias() : g;
            }
            foreach (var g in grads.Values)
                if (Array.IndexOf(results, g) < 0) g.Dispose();
            return results;
        }
        catch
        {
            foreach (var g in grads.Values) g.Dispose();
            throw;
        }
        finally
        {
            mode.Dispose();
            frame.Dispose();
        }
    }

    private static void BackpropagateNode(Node node, Dictionary<GradIdentity, Tensor> grads, HashSet<GradIdentity> relevant, HashSet<GradIdentity> wanted)
    {
        var outputs = node.Outputs;
        var gradOutputs = new Tensor?[outputs.Length];
        bool any = false;
        for (int k = 0; k < outputs.Length; k++)
            if (outputs[k].Id is { } id && grads.TryGetValue(id, out var g))
            {
                gradOutputs[k] = g;
                any = true;
            }
        if (!any) return;
        var needs = new bool[node.Inputs.Length];
        bool needsAny = false;
        for (int j = 0; j < needs.Length; j++)
            needsAny |= needs[j] = node.Inputs[j].Id is { } id && relevant.Contains(id);
        if (needsAny)
        {
            var inputGrads = BackwardInScope(node, gradOutputs, needs);
            for (int j = 0; j < inputGrads.Length; j++)
            {
                var g = inputGrads[j];
                if (g is null) continue;
                bool shared = Array.IndexOf(gradOutputs, g) >= 0 || Array.IndexOf(inputGrads, g, 0, j) >= 0;
                if (!needs[j])
                {
                    if (!shared) g.Dispose();
                    continue;
                }
                var input = node.Inputs[j];
                Accumulate(grads, input.Id!, input.Shape, input.DType, shared ? g.Alias() : g, node.Name);
            }
        }
        for (int k = 0; k < outputs.Length; k++)
        {
            if (gradOutputs[k] is not { } g || wanted.Contains(outputs[k].Id!)) continue;
            grads.Remove(outputs[k].Id!);
            g.Dispose();
        }
    }

    /// <summary>Identities whose gradient leads to one of <paramref name="inputs"/>: the inputs and the outputs of nodes that depend on them.</summary>
    private HashSet<GradIdentity> RelevantIdentities(GradIdentity[] inputs)
    {
        var relevant = new HashSet<GradIdentity>(inputs, IdentityComparer.Instance);
        foreach (var node in nodes)
        {
            bool depends = false;
            foreach (var input in node.Inputs)
                if (input.Id is { } id && relevant.Contains(id)) { depends = true; break; }
            if (!depends) continue;
            foreach (var output in node.Outputs)
                if (output.Id is { } id) relevant.Add(id);
        }
        return relevant;
    }

    /// <summary>Runs a backward rule so that its temporaries are freed and only the gradients it returns survive.</summary>
    private static Tensor?[] BackwardInScope(Node node, Tensor?[] gradOutputs, bool[] needs)
    {
        using var scope = TensorScope.Begin();
        var grads = node.Backward(gradOutputs, needs);
        foreach (var g in grads)
            if (g is not null) scope.Keep(g);
        return grads;
    }

    private static Tensor Seed(Tensor output, Tensor? cotangent)
    {
        if (cotangent is null)
        {
            if (output.NumElements != 1)
                throw new ArgumentException($"Gradients: output of shape {Shapes.Format(output.Dims)} is not a scalar; pass a cotangent of that shape");
            return Tensor.Ones(output.Dims, output.DType, output.Device);
        }
        cotangent.ThrowIfDisposed();
        if (!cotangent.Dims.AsSpan().SequenceEqual(output.Dims) || cotangent.DType != output.DType || cotangent.Device != output.Device)
            throw new ArgumentException(
                $"Gradients: cotangent {OpDescription(cotangent)} does not match output {OpDescription(output)}");
        return cotangent.Alias();
    }

    /// <summary>Adds <paramref name="grad"/> to the gradient held for <paramref name="target"/>; takes ownership of it.</summary>
    private static void Accumulate(Dictionary<GradIdentity, Tensor> grads, GradIdentity target, int[] shape, DType dtype, Tensor grad, string from)
    {
        if (!grad.Dims.AsSpan().SequenceEqual(shape) || grad.DType != dtype)
        {
            var message = $"{from}: backward produced a gradient {OpDescription(grad)} for an input of shape {Shapes.Format(shape)} {dtype}";
            grad.Dispose();
            throw new InvalidOperationException(message);
        }
        if (grads.TryGetValue(target, out var existing))
        {
            grads[target] = existing.Add(grad);
            existing.Dispose();
            grad.Dispose();
            return;
        }
        grads[target] = grad;
    }

    private static string OpDescription(Tensor x) => $"{Shapes.Format(x.Dims)} {x.DType} on {x.Device}";
}
