#!/usr/bin/python3
"""Converts a TensorFlow.js layers model (model.json + weight shards) to ONNX.

    tfjs_to_onnx.py MODEL_JSON OUTPUT_ONNX

MODEL_JSON is TF.js's model.json (format "layers-model": a Keras topology and
a weights manifest); its weight shards are read from beside it. The ONNX
model takes one NCHW float32 tensor [1, C, H, W] named "input" (Keras works
in NHWC; the transposition is folded into the weights here so that callers
can feed planar data) and returns the last layer's output as "output".

Only the Keras layers the nsfwjs models use are mapped, one function each;
any other layer, option or weight encoding is an error naming it, never a
silently wrong model. The output is deterministic: the same input gives the
same bytes, so its SHA-256 can be pinned.
"""

import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 10  # Clip and Pad with attributes, as OpenCV 4.6's importer expects.


class ConversionError(Exception):
    pass


# --- weights ----------------------------------------------------------------

NUMPY_DTYPES = {"float32": np.float32, "int32": np.int32}
QUANTISED_DTYPES = {"uint8": np.uint8, "uint16": np.uint16, "float16": np.float16}


def read_weights(model_dir, manifest):
    """Weight name -> float32/int32 array, dequantised as TF.js does."""
    weights = {}
    for group in manifest:
        data = b"".join(read_shard(model_dir, p) for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            array, offset = decode_weight(spec, data, offset)
            weights[spec["name"]] = array
        if offset != len(data):
            raise ConversionError(
                f"weight shards {group['paths']} hold {len(data)} bytes but the "
                f"manifest describes {offset}")
    return weights


def read_shard(model_dir, path):
    full = os.path.join(model_dir, path)
    try:
        with open(full, "rb") as f:
            return f.read()
    except OSError as e:
        raise ConversionError(f"cannot read weight shard {full}: {e.strerror}")


def decode_weight(spec, data, offset):
    name, dtype, shape = spec["name"], spec["dtype"], spec["shape"]
    if dtype not in NUMPY_DTYPES:
        raise ConversionError(f"weight {name}: unsupported dtype {dtype}")
    count = int(np.prod(shape, dtype=np.int64))
    quantisation = spec.get("quantization")
    stored = NUMPY_DTYPES[dtype]
    if quantisation is not None:
        stored = QUANTISED_DTYPES.get(quantisation["dtype"])
        if stored is None:
            raise ConversionError(
                f"weight {name}: unsupported quantization {quantisation['dtype']}")
    size = count * np.dtype(stored).itemsize
    if offset + size > len(data):
        raise ConversionError(f"weight {name}: weight shards end early")
    raw = np.frombuffer(data, dtype=np.dtype(stored).newbyteorder("<"),
                        count=count, offset=offset)
    if quantisation is None:
        values = raw.astype(NUMPY_DTYPES[dtype])
    elif quantisation["dtype"] == "float16":
        if dtype != "float32":
            raise ConversionError(f"weight {name}: float16 quantization of {dtype}")
        values = raw.astype(np.float32)
    else:
        # TF.js computes v * scale + min in double precision, then stores it
        # in the weight's own type (with Math.round, halves up, for int32).
        real = raw.astype(np.float64) * quantisation["scale"] + quantisation["min"]
        values = (np.floor(real + 0.5) if dtype == "int32" else real).astype(
            NUMPY_DTYPES[dtype])
    return values.reshape(shape), offset + size


# --- graph building -----------------------------------------------------------


class Graph:
    """ONNX nodes and initialisers, plus each Keras tensor's static shape.

    Shapes are (C, H, W) for images and (N,) for vectors, batch excluded.
    """

    def __init__(self, weights):
        self.weights = weights
        self.nodes = []
        self.initialisers = []
        self.shapes = {}
        self.aliases = {}  # Keras output name -> ONNX tensor name
        self.input = None  # the graph input, set by the InputLayer

    def tensor(self, keras_name):
        return self.aliases.get(keras_name, keras_name)

    def weight(self, layer, param):
        key = f"{layer}/{param}"
        if key not in self.weights:
            raise ConversionError(f"layer {layer}: weight {key} is missing")
        return self.weights.pop(key)

    def constant(self, name, array):
        self.initialisers.append(numpy_helper.from_array(array, name))
        return name

    def node(self, op, inputs, output, **attrs):
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output


def single_input(layer, graph):
    inbound = layer["inbound_nodes"]
    names = [entry[0] for entry in inbound[0]] if inbound else []
    if len(names) != 1:
        raise ConversionError(f"layer {layer['name']}: expected one input")
    return graph.tensor(names[0])


def unsupported(layer, what):
    raise ConversionError(f"layer {layer['name']} ({layer['class_name']}): "
                          f"unsupported {what}")


def require(layer, condition, what):
    if not condition:
        unsupported(layer, what)


def image_shape(layer, graph, name):
    shape = graph.shapes[name]
    require(layer, len(shape) == 3, "input (expected an image tensor)")
    return shape


def same_padding(size, kernel, stride, dilation):
    """TensorFlow's "same": extra padding goes after, not before."""
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def spatial_padding(layer, h, w, kernel, strides, dilation):
    """ONNX pads [top, left, bottom, right] and the output size."""
    padding = layer["config"]["padding"]
    if padding == "valid":
        pads = [0, 0, 0, 0]
    elif padding == "same":
        top, bottom = same_padding(h, kernel[0], strides[0], dilation[0])
        left, right = same_padding(w, kernel[1], strides[1], dilation[1])
        pads = [top, left, bottom, right]
    else:
        unsupported(layer, f"padding {padding}")
    out_h = (h + pads[0] + pads[2] - (kernel[0] - 1) * dilation[0] - 1) // strides[0] + 1
    out_w = (w + pads[1] + pads[3] - (kernel[1] - 1) * dilation[1] - 1) // strides[1] + 1
    return pads, out_h, out_w


def check_channels_last(layer):
    require(layer, layer["config"].get("data_format", "channels_last") == "channels_last",
            "data_format")


def activation(layer, graph, tensor):
    kind = layer["config"].get("activation", "linear")
    name = layer["name"]
    if kind == "linear":
        return tensor
    if kind == "relu":
        return graph.node("Relu", [tensor], name + "/relu")
    if kind == "softmax":
        return graph.node("Softmax", [tensor], name + "/softmax", axis=1)
    unsupported(layer, f"activation {kind}")


def finish(layer, graph, tensor, shape):
    """Records the layer's output under its Keras name."""
    graph.aliases[layer["name"]] = tensor
    graph.shapes[tensor] = shape


# --- one function per Keras layer ----------------------------------------------


def convert_input_layer(layer, graph):
    shape = layer["config"]["batch_input_shape"]
    require(layer, len(shape) == 4 and all(isinstance(d, int) for d in shape[1:]),
            "input shape (expected a fixed [batch, height, width, channels])")
    _, h, w, c = shape
    graph.input = helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, c, h, w])
    finish(layer, graph, "input", (c, h, w))


def convert_zero_padding2d(layer, graph):
    check_channels_last(layer)
    x = single_input(layer, graph)
    c, h, w = image_shape(layer, graph, x)
    (top, bottom), (left, right) = layer["config"]["padding"]
    out = graph.node("Pad", [x], layer["name"], mode="constant",
                     pads=[0, 0, top, left, 0, 0, bottom, right])
    finish(layer, graph, out, (c, h + top + bottom, w + left + right))


def convolution(layer, graph, kernel_oihw, groups, filters):
    """Conv2D and DepthwiseConv2D share everything but the kernel's layout."""
    config = layer["config"]
    check_channels_last(layer)
    x = single_input(layer, graph)
    _, h, w = image_shape(layer, graph, x)
    strides, dilation = config["strides"], config["dilation_rate"]
    kernel = config["kernel_size"]
    pads, out_h, out_w = spatial_padding(layer, h, w, kernel, strides, dilation)
    name = layer["name"]
    inputs = [x, graph.constant(name + "/W", np.ascontiguousarray(kernel_oihw))]
    if config["use_bias"]:
        inputs.append(graph.constant(name + "/B", graph.weight(name, "bias")))
    out = graph.node("Conv", inputs, name, kernel_shape=kernel, strides=strides,
                     dilations=dilation, pads=pads, group=groups)
    finish(layer, graph, activation(layer, graph, out), (filters, out_h, out_w))


def convert_conv2d(layer, graph):
    require(layer, layer["config"].get("groups", 1) == 1, "groups")
    # Keras [kh, kw, in, out] -> ONNX [out, in, kh, kw].
    kernel = graph.weight(layer["name"], "kernel").transpose(3, 2, 0, 1)
    convolution(layer, graph, kernel, 1, kernel.shape[0])


def convert_depthwise_conv2d(layer, graph):
    # Keras [kh, kw, in, multiplier] -> ONNX [in * multiplier, 1, kh, kw];
    # output channel c * multiplier + m, as Keras orders them.
    kernel = graph.weight(layer["name"], "depthwise_kernel")
    kh, kw, channels, multiplier = kernel.shape
    kernel = kernel.transpose(2, 3, 0, 1).reshape(channels * multiplier, 1, kh, kw)
    convolution(layer, graph, kernel, channels, channels * multiplier)


def convert_batch_normalization(layer, graph):
    config = layer["config"]
    axis = config["axis"]
    require(layer, axis in (-1, 3) or axis == [3], f"axis {axis}")
    x = single_input(layer, graph)
    c, h, w = image_shape(layer, graph, x)
    name = layer["name"]
    gamma = graph.weight(name, "gamma") if config["scale"] else np.ones(c, np.float32)
    beta = graph.weight(name, "beta") if config["center"] else np.zeros(c, np.float32)
    inputs = [x, graph.constant(name + "/gamma", gamma), graph.constant(name + "/beta", beta),
              graph.constant(name + "/mean", graph.weight(name, "moving_mean")),
              graph.constant(name + "/variance", graph.weight(name, "moving_variance"))]
    out = graph.node("BatchNormalization", inputs, name, epsilon=float(config["epsilon"]))
    finish(layer, graph, out, (c, h, w))


def convert_relu(layer, graph):
    config = layer["config"]
    require(layer, config.get("negative_slope", 0) == 0 and config.get("threshold", 0) == 0,
            "negative_slope or threshold")
    x = single_input(layer, graph)
    max_value = config.get("max_value")
    if max_value is None:
        out = graph.node("Relu", [x], layer["name"])
    else:
        out = graph.node("Clip", [x], layer["name"], min=0.0, max=float(max_value))
    finish(layer, graph, out, graph.shapes[x])


def convert_add(layer, graph):
    names = [graph.tensor(entry[0]) for entry in layer["inbound_nodes"][0]]
    require(layer, len(names) >= 2, "number of inputs")
    shapes = {graph.shapes[n] for n in names}
    require(layer, len(shapes) == 1, "inputs of different shapes")
    total = names[0]
    for i, other in enumerate(names[1:]):
        last = i == len(names) - 2
        total = graph.node("Add", [total, other], layer["name"] + ("" if last else f"/{i}"))
    finish(layer, graph, total, shapes.pop())


def convert_average_pooling2d(layer, graph):
    config = layer["config"]
    check_channels_last(layer)
    x = single_input(layer, graph)
    c, h, w = image_shape(layer, graph, x)
    kernel, strides = config["pool_size"], config["strides"] or config["pool_size"]
    pads, out_h, out_w = spatial_padding(layer, h, w, kernel, strides, [1, 1])
    # TensorFlow averages over the real pixels only at the padded borders.
    out = graph.node("AveragePool", [x], layer["name"], kernel_shape=kernel,
                     strides=strides, pads=pads, count_include_pad=0)
    finish(layer, graph, out, (c, out_h, out_w))


def convert_flatten(layer, graph):
    check_channels_last(layer)
    x = single_input(layer, graph)
    c, h, w = image_shape(layer, graph, x)
    # Keras flattens in H, W, C order.
    nhwc = graph.node("Transpose", [x], layer["name"] + "/nhwc", perm=[0, 2, 3, 1])
    out = graph.node("Flatten", [nhwc], layer["name"], axis=1)
    finish(layer, graph, out, (c * h * w,))


def convert_dense(layer, graph):
    config = layer["config"]
    x = single_input(layer, graph)
    require(layer, len(graph.shapes[x]) == 1, "input (expected a vector)")
    name = layer["name"]
    # Keras [in, units]; stored [units, in] with transB, the form every
    # ONNX importer reads (OpenCV 4.6 rejects transB = 0 with a bias).
    kernel = graph.weight(name, "kernel").T
    inputs = [x, graph.constant(name + "/W", np.ascontiguousarray(kernel))]
    if config["use_bias"]:
        inputs.append(graph.constant(name + "/B", graph.weight(name, "bias")))
    else:
        inputs.append(graph.constant(name + "/B", np.zeros(kernel.shape[0], np.float32)))
    out = graph.node("Gemm", inputs, name, transB=1)
    finish(layer, graph, activation(layer, graph, out), (int(config["units"]),))


def convert_dropout(layer, graph):
    # Inference: the identity.
    x = single_input(layer, graph)
    finish(layer, graph, x, graph.shapes[x])


CONVERTERS = {
    "InputLayer": convert_input_layer,
    "ZeroPadding2D": convert_zero_padding2d,
    "Conv2D": convert_conv2d,
    "DepthwiseConv2D": convert_depthwise_conv2d,
    "BatchNormalization": convert_batch_normalization,
    "ReLU": convert_relu,
    "Add": convert_add,
    "AveragePooling2D": convert_average_pooling2d,
    "Flatten": convert_flatten,
    "Dense": convert_dense,
    "Dropout": convert_dropout,
}


# --- the model -------------------------------------------------------------------


def model_config(model_json):
    if model_json.get("format", "layers-model") != "layers-model":
        raise ConversionError(f"unsupported TF.js format {model_json['format']} "
                              "(only layers-model)")
    topology = model_json["modelTopology"]
    config = topology.get("model_config", topology)
    if config.get("class_name") not in ("Model", "Functional"):
        raise ConversionError(f"unsupported Keras model class {config.get('class_name')}")
    return config["config"]


def convert(model_json_path, output_path):
    with open(model_json_path, "r", encoding="utf-8") as f:
        model_json = json.load(f)
    config = model_config(model_json)
    weights = read_weights(os.path.dirname(os.path.abspath(model_json_path)),
                           model_json["weightsManifest"])
    if len(config["input_layers"]) != 1 or len(config["output_layers"]) != 1:
        raise ConversionError("only models with one input and one output are supported")

    graph = Graph(weights)
    for layer in config["layers"]:
        converter = CONVERTERS.get(layer["class_name"])
        if converter is None:
            raise ConversionError(f"layer {layer['name']}: unsupported Keras layer "
                                  f"{layer['class_name']}")
        converter(layer, graph)
    if graph.weights:
        raise ConversionError(f"weights not used by any layer: {sorted(graph.weights)}")

    final = graph.tensor(config["output_layers"][0][0])
    graph.nodes.append(helper.make_node("Identity", [final], ["output"], name="output"))
    output = helper.make_tensor_value_info("output", TensorProto.FLOAT,
                                           [1, *graph.shapes[final]])
    onnx_graph = helper.make_graph(graph.nodes, config.get("name", "model"),
                                   [graph.input], [output], graph.initialisers)
    model = helper.make_model(onnx_graph, producer_name="bulwark tfjs_to_onnx",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 7  # opset 10 models; read by every ONNX runtime since 2020
    onnx.checker.check_model(model)
    with open(output_path, "wb") as f:
        f.write(model.SerializeToString())


def main(argv):
    if len(argv) != 3:
        print("usage: tfjs_to_onnx.py MODEL_JSON OUTPUT_ONNX", file=sys.stderr)
        return 2
    try:
        convert(argv[1], argv[2])
    except ConversionError as e:
        print(f"tfjs_to_onnx: {argv[1]}: {e}", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError, TypeError, IndexError) as e:
        print(f"tfjs_to_onnx: {argv[1]}: malformed model: {e!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
