package dev.chatcentral.localstack.tenant;

import java.util.List;

/** An empresa the local stack seeds, with the WhatsApp instance its demo traffic comes from. */
public record DemoEmpresa(String id, String nome, String instance) {

    public static final List<DemoEmpresa> ALL = List.of(
            new DemoEmpresa("emp-demo-1", "Loja Aurora", "loja-aurora-01"),
            new DemoEmpresa("emp-demo-2", "Padaria Sol", "padaria-sol-01"));
}
