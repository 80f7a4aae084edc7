package dev.chatcentral.simulator.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The customers who write to one empresa, each working through a short conversation in Portuguese. The customers
 * are the same every run for the same empresa (seeded by its id), so a restarted simulator continues the same
 * conversas instead of opening new ones. Not thread-safe: one empresa's messages are produced one at a time.
 */
final class DemoCustomers {

    private static final List<String> NAMES = List.of(
            "Maria Silva", "João Pereira", "Ana Souza", "Carlos Oliveira", "Juliana Costa", "Rafael Santos",
            "Fernanda Lima", "Lucas Almeida", "Patrícia Rocha", "Bruno Carvalho", "Camila Ribeiro", "Diego Martins");

    private static final List<String> AREA_CODES = List.of("11", "21", "31", "41", "51", "61", "71", "81", "85");

    private static final List<List<String>> CONVERSATIONS = List.of(
            List.of("Oi, boa tarde!", "Vocês entregam hoje?", "Meu CEP é 04567-000, fica na Vila Olímpia",
                    "Perfeito, obrigada!"),
            List.of("Olá, gostaria de saber o preço do bolo de chocolate", "Ele serve quantas pessoas?",
                    "Dá pra encomendar para sábado de manhã?", "Pode reservar um, por favor"),
            List.of("Bom dia, meu pedido ainda não chegou", "O número do pedido é 48213",
                    "Tem alguma previsão de entrega?", "Ok, fico no aguardo"),
            List.of("Vocês aceitam Pix?", "E cartão na entrega?", "Beleza, vou fazer o pedido agora pelo site"),
            List.of("Oi! Vi a promoção no Instagram", "Ainda está valendo?", "Quero dois, por favor",
                    "Pode mandar a chave Pix", "Valeu!"),
            List.of("Boa noite, vocês abrem no domingo?", "Qual o horário?", "E tem estacionamento aí perto?",
                    "Obrigado, até amanhã"));

    /** One customer: a name, a Brazilian mobile number, and how far into its conversation it is. */
    record Customer(String name, String phone, List<String> conversation) {
    }

    /** The next thing a customer says. */
    record Line(Customer customer, String text) {
    }

    private final List<Customer> customers;
    private final int[] positions;
    private final Random random;

    DemoCustomers(String empresaId, int count) {
        Random seeded = new Random(empresaId.hashCode());
        List<Customer> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = NAMES.get((i + seeded.nextInt(NAMES.size())) % NAMES.size());
            String phone = String.format(Locale.ROOT, "55%s9%08d",
                    AREA_CODES.get(seeded.nextInt(AREA_CODES.size())), seeded.nextInt(100_000_000));
            created.add(new Customer(name, phone, CONVERSATIONS.get(i % CONVERSATIONS.size())));
        }
        this.customers = List.copyOf(created);
        this.positions = new int[count];
        this.random = new Random();
    }

    List<Customer> customers() {
        return customers;
    }

    /** A random customer's next line; a customer who said everything starts over, as on another day. */
    Line next() {
        int index = random.nextInt(customers.size());
        Customer customer = customers.get(index);
        String text = customer.conversation().get(positions[index]);
        positions[index] = (positions[index] + 1) % customer.conversation().size();
        return new Line(customer, text);
    }
}
