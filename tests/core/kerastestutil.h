#pragma once

// A Keras model config parsed for the summary tests, kept together with the JSON its layers
// point into.

#include "inspect/kerasmodel.h"
#include "testutil.h"

#include <memory>
#include <string_view>

namespace tfjs::test {

struct ParsedModel
{
    Json json;
    std::shared_ptr<keras::Model> model;

    explicit ParsedModel(std::string_view text) : json(j(text)), model(keras::parseModel(json))
    {
        if (!model)
            qFatal("not a model in a test");
    }
    ParsedModel(const ParsedModel &) = delete; // the model points into `json`
    ParsedModel &operator=(const ParsedModel &) = delete;

    const keras::Model &operator*() const { return *model; }
    const keras::Model *operator->() const { return model.get(); }
};

} // namespace tfjs::test
