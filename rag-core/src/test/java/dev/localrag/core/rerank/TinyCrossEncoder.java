package dev.localrag.core.rerank;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a tiny cross-encoder a test can load like a real one: {@code model.onnx} (the ONNX
 * protobuf, encoded here; opset 13) with BERT's inputs {@code input_ids} and {@code
 * attention_mask} and one logit per pair, and a Hugging Face {@code tokenizer.json} (word-level
 * vocabulary, lower-cased, {@code [CLS] A [SEP] B [SEP]} pairs). The logit is how many tokens of the
 * pair are {@code word}: the passage that says it most often ranks first.
 */
final class TinyCrossEncoder {

    private TinyCrossEncoder() {}

    /** Writes {@code model.onnx} and {@code tokenizer.json} into {@code dir}; {@code word} must be in {@code vocabulary}. */
    static Path write(Path dir, List<String> vocabulary, String word) throws IOException {
        int wordId = 4 + vocabulary.indexOf(word);
        if (wordId < 4) {
            throw new IllegalArgumentException(word + " is not in the vocabulary");
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), model(wordId));
        Files.writeString(dir.resolve("tokenizer.json"), tokenizer(vocabulary));
        return dir;
    }

    // ---- the ONNX graph: logits = ReduceSum(Cast(input_ids == wordId) * Cast(attention_mask), axis 1)

    private static byte[] model(int wordId) {
        Proto graph = new Proto()
                .message(1, node("Equal", List.of("input_ids", "word_id"), "is_word", null))
                .message(1, node("Cast", List.of("is_word"), "is_word_f", 1))
                .message(1, node("Cast", List.of("attention_mask"), "mask_f", 1))
                .message(1, node("Mul", List.of("is_word_f", "mask_f"), "counted", null))
                .message(1, node("ReduceSum", List.of("counted", "axes"), "logits", null))
                .string(2, "tiny-cross-encoder")
                .message(5, int64Tensor("word_id", new long[0], wordId))
                .message(5, int64Tensor("axes", new long[] {1}, 1))
                .message(11, valueInfo("input_ids", 7, "batch", "sequence"))
                .message(11, valueInfo("attention_mask", 7, "batch", "sequence"))
                .message(12, valueInfo("logits", 1, "batch", 1));
        return new Proto()
                .varint(1, 7) // ir_version
                .string(2, "localrag-test")
                .message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 13)) // opset_import
                .bytes();
    }

    private static Proto node(String op, List<String> inputs, String output, Integer castTo) {
        Proto n = new Proto();
        inputs.forEach(i -> n.string(1, i));
        n.string(2, output).string(3, op + "_" + output).string(4, op);
        if (castTo != null) {
            n.message(5, new Proto().string(1, "to").varint(3, castTo).varint(20, 2)); // INT attribute
        }
        return n;
    }

    private static Proto int64Tensor(String name, long[] dims, long value) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        return t.varint(2, 7).message(7, new Proto().rawVarint(value)).string(8, name); // INT64, packed data
    }

    /** A tensor value: element type (1 float, 7 int64) and dimensions (a String is symbolic). */
    private static Proto valueInfo(String name, int elemType, Object... dims) {
        Proto shape = new Proto();
        for (Object d : dims) {
            shape.message(1, d instanceof String s ? new Proto().string(2, s) : new Proto().varint(1, (Integer) d));
        }
        Proto tensor = new Proto().varint(1, elemType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    /** Just enough of the protobuf wire format: varints and length-delimited fields. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            rawVarint((long) field << 3);
            return rawVarint(value);
        }

        Proto string(int field, String value) {
            return length(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto value) {
            return length(field, value.bytes());
        }

        Proto rawVarint(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        private Proto length(int field, byte[] bytes) {
            rawVarint(((long) field << 3) | 2);
            rawVarint(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    // ---- the tokenizer

    private static String tokenizer(List<String> vocabulary) {
        StringBuilder vocab = new StringBuilder("\"[PAD]\": 0, \"[UNK]\": 1, \"[CLS]\": 2, \"[SEP]\": 3");
        for (int i = 0; i < vocabulary.size(); i++) {
            vocab.append(", \"").append(vocabulary.get(i)).append("\": ").append(4 + i);
        }
        return """
                {
                  "version": "1.0",
                  "truncation": null,
                  "padding": null,
                  "added_tokens": [
                    %s, %s, %s, %s
                  ],
                  "normalizer": {"type": "Lowercase"},
                  "pre_tokenizer": {"type": "Whitespace"},
                  "post_processor": {
                    "type": "TemplateProcessing",
                    "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                               {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                    "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                             {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                             {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                    "special_tokens": {
                      "[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                      "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}
                    }
                  },
                  "decoder": null,
                  "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "[UNK]"}
                }
                """.formatted(added(0, "[PAD]"), added(1, "[UNK]"), added(2, "[CLS]"), added(3, "[SEP]"), vocab);
    }

    private static String added(int id, String content) {
        return "{\"id\": %d, \"content\": \"%s\", \"single_word\": false, \"lstrip\": false, \"rstrip\": false,"
                        .formatted(id, content)
                + " \"normalized\": false, \"special\": true}";
    }
}
